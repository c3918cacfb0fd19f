#pragma once
// Exact, analytic complexity accounting for ResNetOptions: parameters and multiply-adds per layer,
// per stage and in total, without building a module (no LibTorch).
// Conventions (paper and torchvision): MACs count conv and fc multiply-adds only (BN, ReLU, pooling and
// additions are free); parameters include BN weight and bias but not BN running statistics.

#include <cstdint>
#include <string>
#include <vector>

#include "core/models/resnet_options.h"

namespace ablate::models {

enum class LayerKind { conv, batch_norm, linear };
const char* to_string(LayerKind kind);

struct LayerCost {
  std::string name;  // torchvision module path: "conv1", "layer3.0.downsample.0", "fc"
  LayerKind kind = LayerKind::conv;
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t groups = 1;
  int64_t in_size = 1;   // square feature-map side entering the layer (1 for fc)
  int64_t out_size = 1;  // side leaving it
  int64_t params = 0;
  int64_t macs = 0;
};

// One row of the paper's Table 1: a stage of n identical bottleneck templates.
struct StageCost {
  int64_t index = 0;         // 0-based; torchvision calls stage s "layer{s+1}"
  int64_t blocks = 0;
  int64_t output_size = 0;   // feature-map side after the stage
  int64_t bottleneck_in = 0; // 1x1 reduce output = grouped 3x3 width (C*d*2^s)
  int64_t cardinality = 1;
  int64_t out_channels = 0;
  int64_t params = 0;
  int64_t macs = 0;
};

struct Complexity {
  int64_t image_size = 0;
  int64_t stem_output_size = 0;  // after the stem (and its max-pool for imagenet)
  std::vector<LayerCost> layers;
  std::vector<StageCost> stages;
  int64_t params = 0;
  int64_t macs = 0;
};

// The paper's Table 1 notation of a stage: "[1x1, 128; 3x3, 128, C=32; 1x1, 256] x 3" (", C=..." only
// for grouped convolutions).
std::string stage_template(const StageCost& stage);

// Smallest input side the options accept: the product of every stride on the way down.
int64_t minimum_image_size(const ResNetOptions& options);

// Throws std::invalid_argument for invalid options or an image smaller than minimum_image_size().
Complexity analyze(const ResNetOptions& options, int64_t image_size);

// Parameters do not depend on the input size.
int64_t count_params(const ResNetOptions& options);

// Paper Eq. 4: conv parameters of one first-stage bottleneck without projection,
// C * (in*d + 3*3*d*d + d*out) with in = out = 4*base_channels.
int64_t first_stage_block_params(const ResNetOptions& options);

}  // namespace ablate::models
