#include "core/models/complexity.h"

#include <fmt/format.h>

#include <stdexcept>

namespace ablate::models {

const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::conv: return "conv";
    case LayerKind::batch_norm: return "bn";
    case LayerKind::linear: return "fc";
  }
  return "?";
}

namespace {

int64_t conv_out_size(int64_t in, int64_t kernel, int64_t stride, int64_t padding) {
  return (in + 2 * padding - kernel) / stride + 1;
}

// Accumulates layers in module order and keeps the running feature-map side.
class Accountant {
 public:
  explicit Accountant(Complexity& out) : out_(out) {}

  // Conv without bias (every conv of the family is followed by BN), then its BN.
  int64_t conv_bn(const std::string& conv_name, const std::string& bn_name, int64_t in_ch, int64_t out_ch,
                  int64_t kernel, int64_t stride, int64_t groups, int64_t in_size) {
    LayerCost conv;
    conv.name = conv_name;
    conv.kind = LayerKind::conv;
    conv.in_channels = in_ch;
    conv.out_channels = out_ch;
    conv.kernel = kernel;
    conv.stride = stride;
    conv.groups = groups;
    conv.in_size = in_size;
    conv.out_size = conv_out_size(in_size, kernel, stride, kernel / 2);
    conv.params = out_ch * (in_ch / groups) * kernel * kernel;
    conv.macs = conv.params * conv.out_size * conv.out_size;
    add(conv);

    LayerCost bn;
    bn.name = bn_name;
    bn.kind = LayerKind::batch_norm;
    bn.in_channels = bn.out_channels = out_ch;
    bn.in_size = bn.out_size = conv.out_size;
    bn.params = 2 * out_ch;
    add(bn);
    return conv.out_size;
  }

  void linear(const std::string& name, int64_t in_features, int64_t out_features) {
    LayerCost fc;
    fc.name = name;
    fc.kind = LayerKind::linear;
    fc.in_channels = in_features;
    fc.out_channels = out_features;
    fc.params = in_features * out_features + out_features;
    fc.macs = in_features * out_features;
    add(fc);
  }

  int64_t params_since(size_t first_layer) const {
    int64_t total = 0;
    for (size_t i = first_layer; i < out_.layers.size(); ++i) total += out_.layers[i].params;
    return total;
  }
  int64_t macs_since(size_t first_layer) const {
    int64_t total = 0;
    for (size_t i = first_layer; i < out_.layers.size(); ++i) total += out_.layers[i].macs;
    return total;
  }

 private:
  void add(const LayerCost& layer) {
    out_.params += layer.params;
    out_.macs += layer.macs;
    out_.layers.push_back(layer);
  }
  Complexity& out_;
};

}  // namespace

std::string stage_template(const StageCost& s) {
  const std::string groups = s.cardinality > 1 ? fmt::format(", C={}", s.cardinality) : "";
  return fmt::format("[1x1, {}; 3x3, {}{}; 1x1, {}] x {}", s.bottleneck_in, s.bottleneck_in, groups, s.out_channels,
                     s.blocks);
}

int64_t minimum_image_size(const ResNetOptions& o) {
  const int64_t stem = o.stem() == Stem::imagenet ? 4 : o.stem_stride();
  const int64_t stages = static_cast<int64_t>(o.blocks().size());
  return stem << (stages > 0 ? stages - 1 : 0);
}

Complexity analyze(const ResNetOptions& o, int64_t image_size) {
  validate(o);
  if (image_size < minimum_image_size(o)) {
    throw std::invalid_argument(fmt::format(
        "image size {} is too small for the {} stem with {} stages: needs at least {} px", image_size,
        to_string(o.stem()), o.blocks().size(), minimum_image_size(o)));
  }
  Complexity c;
  c.image_size = image_size;
  Accountant acc(c);

  int64_t size = image_size;
  if (o.stem() == Stem::imagenet) {
    size = acc.conv_bn("conv1", "bn1", o.input_channels(), o.stem_channels(), 7, 2, 1, size);
    size = conv_out_size(size, 3, 2, 1);  // max-pool 3x3/2
  } else {
    size = acc.conv_bn("conv1", "bn1", o.input_channels(), o.stem_channels(), 3, o.stem_stride(), 1, size);
  }
  c.stem_output_size = size;

  int64_t in_ch = o.stem_channels();
  for (size_t s = 0; s < o.blocks().size(); ++s) {
    const auto stage = static_cast<int64_t>(s);
    const int64_t width = stage_group_width(o, stage);
    const int64_t out_ch = stage_out_channels(o, stage);
    const size_t first_layer = c.layers.size();
    for (int64_t b = 0; b < o.blocks()[s]; ++b) {
      const std::string prefix = fmt::format("layer{}.{}.", s + 1, b);
      const int64_t stride = b == 0 ? stage_stride(stage) : 1;
      const int64_t block_in = size;
      acc.conv_bn(prefix + "conv1", prefix + "bn1", in_ch, width, 1, 1, 1, size);
      size = acc.conv_bn(prefix + "conv2", prefix + "bn2", width, width, 3, stride, o.cardinality(), size);
      acc.conv_bn(prefix + "conv3", prefix + "bn3", width, out_ch, 1, 1, 1, size);
      if (o.shortcut() && (stride != 1 || in_ch != out_ch)) {
        acc.conv_bn(prefix + "downsample.0", prefix + "downsample.1", in_ch, out_ch, 1, stride, 1, block_in);
      }
      in_ch = out_ch;
    }
    StageCost sc;
    sc.index = stage;
    sc.blocks = o.blocks()[s];
    sc.output_size = size;
    sc.bottleneck_in = width;
    sc.cardinality = o.cardinality();
    sc.out_channels = out_ch;
    sc.params = acc.params_since(first_layer);
    sc.macs = acc.macs_since(first_layer);
    c.stages.push_back(sc);
  }
  acc.linear("fc", in_ch, o.num_classes());
  return c;
}

int64_t count_params(const ResNetOptions& o) { return analyze(o, minimum_image_size(o)).params; }

int64_t first_stage_block_params(const ResNetOptions& o) {
  validate(o);
  const int64_t in = stage_out_channels(o, 0);
  const int64_t d = o.bottleneck_width();
  return o.cardinality() * (in * d + 9 * d * d + d * in);
}

}  // namespace ablate::models
