#pragma once
// Named presets of the family, one grammar for all of them:
//   resnet{D}              ResNet, C=1, d=64           (resnet50)
//   resnet{D}_1x{d}d       wider ResNet                (resnet101_1x100d)
//   resnext{D}_{C}x{d}d    ResNeXt                     (resnext50_32x4d, resnext29_8x64d)
// D in {50, 101, 152, 200} is an ImageNet net (3 input channels, 1000 classes, 224 px); any other
// D = 9n+2 is a CIFAR net (3x3 stem of 64 filters, 3 stages of n blocks, 10 classes, 32 px).
// After a '+', the options equivalent_preset writes for what the name cannot say, ','-separated:
//   cifar | imagenet (the stem), blocksA-B-C (blocks per stage; they must add up to D), baseN, stemN
//   (channels), strideN (cifar stem stride), inN (input channels), classesN, noshortcut
// so preset(equivalent_preset(o)).options == o for every valid o except zero_init_last_bn (an
// initialisation choice, not part of the architecture).

#include <cstdint>
#include <string>
#include <vector>

#include "core/models/resnet_options.h"

namespace ablate::models {

struct Preset {
  ResNetOptions options;
  int64_t image_size = 224;
};

// Throws std::invalid_argument naming the value and stating the grammar above. An explicit option wins over
// the stem's default (e.g. "resnet50+classes10").
Preset preset(const std::string& name);

// The grammar, for error messages and --help.
const char* preset_grammar();

// Blocks per stage for a depth: ImageNet depths from Table 1, else 9n+2 for the cifar stem.
std::vector<int64_t> blocks_for_depth(int64_t depth, Stem stem);

// 3 layers per bottleneck + stem conv + fc: 50 for {3,4,6,3}, 29 for {3,3,3}.
int64_t depth_of(const ResNetOptions& options);

// The paper's template notation "CxWd", e.g. "32x4d", "1x64d".
std::string setting_of(const ResNetOptions& options);

// The preset name of the same template (depth, C, d): "resnext50_32x4d", "resnet101_1x100d".
// Options a preset cannot express (other base channels, stem stride, inputs, classes, blocks that
// match no depth, shortcuts off) are summarised after a '+': "resnext29_8x4d+base16,stride2,in1".
std::string equivalent_preset(const ResNetOptions& options);

// A few representative names, for `ablate inspect --help` and tests.
std::vector<std::string> example_presets();

}  // namespace ablate::models
