#pragma once
// torchvision's ResNet state_dict (torchvision/models/resnet.py), written out independently of ablate's
// module: the reference the module's names and shapes are tested against, and the layout of the weights
// files the tests make as Python would.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ablate::models::testing {

// Keys and shapes of torchvision.models.ResNet(Bottleneck, blocks, num_classes, groups=groups,
// width_per_group=width_per_group): stem, bottlenecks (the first of each stage with downsample), fc; BN has
// weight, bias, running stats and num_batches_tracked.
inline std::map<std::string, std::vector<int64_t>> torchvision_shapes(int64_t groups, int64_t width_per_group,
                                                                      std::vector<int64_t> blocks = {3, 4, 6, 3},
                                                                      int64_t num_classes = 1000) {
  std::map<std::string, std::vector<int64_t>> shapes;
  auto bn = [&](const std::string& name, int64_t c) {
    shapes[name + ".weight"] = {c};
    shapes[name + ".bias"] = {c};
    shapes[name + ".running_mean"] = {c};
    shapes[name + ".running_var"] = {c};
    shapes[name + ".num_batches_tracked"] = {};
  };
  shapes["conv1.weight"] = {64, 3, 7, 7};
  bn("bn1", 64);
  int64_t inplanes = 64;
  for (size_t s = 0; s < blocks.size(); ++s) {
    const int64_t planes = int64_t{64} << s;
    const int64_t width = planes * width_per_group / 64 * groups;
    for (int64_t b = 0; b < blocks[s]; ++b) {
      const std::string p = "layer" + std::to_string(s + 1) + "." + std::to_string(b) + ".";
      shapes[p + "conv1.weight"] = {width, inplanes, 1, 1};
      bn(p + "bn1", width);
      shapes[p + "conv2.weight"] = {width, width / groups, 3, 3};
      bn(p + "bn2", width);
      shapes[p + "conv3.weight"] = {planes * 4, width, 1, 1};
      bn(p + "bn3", planes * 4);
      if (b == 0) {
        shapes[p + "downsample.0.weight"] = {planes * 4, inplanes, 1, 1};
        bn(p + "downsample.1", planes * 4);
      }
      inplanes = planes * 4;
    }
  }
  shapes["fc.weight"] = {num_classes, inplanes};
  shapes["fc.bias"] = {num_classes};
  return shapes;
}

}  // namespace ablate::models::testing
