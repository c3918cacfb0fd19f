#include "core/models/presets.h"

#include <fmt/format.h>

#include <map>
#include <regex>
#include <stdexcept>

namespace ablate::models {

namespace {

const std::map<int64_t, std::vector<int64_t>>& imagenet_depths() {
  static const std::map<int64_t, std::vector<int64_t>> depths = {
      {50, {3, 4, 6, 3}}, {101, {3, 4, 23, 3}}, {152, {3, 8, 36, 3}}, {200, {3, 24, 36, 3}}};
  return depths;
}

bool is_imagenet_depth(int64_t depth) { return imagenet_depths().count(depth) > 0; }

int64_t parse_number(const std::string& text, const std::string& name) {
  try {
    return std::stoll(text);
  } catch (const std::exception&) {
    throw std::invalid_argument(fmt::format("unknown preset \"{}\": number {} out of range", name, text));
  }
}

}  // namespace

const char* preset_grammar() {
  return "resnet{D}, resnet{D}_1x{d}d or resnext{D}_{C}x{d}d with D in 50|101|152|200 (ImageNet) "
         "or D = 9n+2 (CIFAR, e.g. 29)";
}

std::vector<int64_t> blocks_for_depth(int64_t depth, Stem stem) {
  if (stem == Stem::imagenet) {
    auto it = imagenet_depths().find(depth);
    if (it == imagenet_depths().end()) {
      throw std::invalid_argument(
          fmt::format("unsupported depth {} for the imagenet stem: expected 50, 101, 152 or 200", depth));
    }
    return it->second;
  }
  if (depth < 11 || (depth - 2) % 9 != 0) {
    throw std::invalid_argument(
        fmt::format("unsupported depth {} for the cifar stem: expected 9n+2 with n >= 1 (11, 20, 29, ...)", depth));
  }
  return std::vector<int64_t>(3, (depth - 2) / 9);
}

int64_t depth_of(const ResNetOptions& o) {
  int64_t blocks = 0;
  for (int64_t n : o.blocks()) blocks += n;
  return 3 * blocks + 2;
}

std::string setting_of(const ResNetOptions& o) {
  return fmt::format("{}x{}d", o.cardinality(), o.bottleneck_width());
}

Preset preset(const std::string& name) {
  static const std::regex resnet_re(R"(resnet([0-9]+)(?:_1x([0-9]+)d)?)");
  static const std::regex resnext_re(R"(resnext([0-9]+)_([0-9]+)x([0-9]+)d)");
  std::smatch m;
  int64_t depth = 0, cardinality = 1, width = 64;
  if (std::regex_match(name, m, resnet_re)) {
    depth = parse_number(m[1], name);
    if (m[2].matched) width = parse_number(m[2], name);
  } else if (std::regex_match(name, m, resnext_re)) {
    depth = parse_number(m[1], name);
    cardinality = parse_number(m[2], name);
    width = parse_number(m[3], name);
  } else {
    throw std::invalid_argument(fmt::format("unknown preset \"{}\": expected {}", name, preset_grammar()));
  }
  if (cardinality < 1 || width < 1) {
    throw std::invalid_argument(
        fmt::format("preset \"{}\": cardinality and width must be >= 1, got {}x{}d", name, cardinality, width));
  }

  Preset p;
  const Stem stem = is_imagenet_depth(depth) ? Stem::imagenet : Stem::cifar;
  if (stem == Stem::cifar && (depth < 11 || (depth - 2) % 9 != 0)) {
    throw std::invalid_argument(fmt::format("preset \"{}\": unsupported depth {}: expected {}", name, depth,
                                            preset_grammar()));
  }
  p.options.blocks(blocks_for_depth(depth, stem));
  p.options.stem(stem).cardinality(cardinality).bottleneck_width(width);
  if (stem == Stem::imagenet) {
    p.options.input_channels(3).num_classes(1000);
    p.image_size = 224;
  } else {
    p.options.input_channels(3).num_classes(10);
    p.image_size = 32;
  }
  return p;
}

std::string equivalent_preset(const ResNetOptions& o) {
  const int64_t depth = depth_of(o);
  std::string name;
  if (o.cardinality() == 1 && o.stem() == Stem::imagenet) {
    name = o.bottleneck_width() == 64 ? fmt::format("resnet{}", depth)
                                      : fmt::format("resnet{}_1x{}d", depth, o.bottleneck_width());
  } else {
    name = fmt::format("resnext{}_{}", depth, setting_of(o));
  }

  std::vector<std::string> extras;
  bool standard_blocks = false;
  if (o.stem() == Stem::imagenet) {
    standard_blocks = is_imagenet_depth(depth) && blocks_for_depth(depth, Stem::imagenet) == o.blocks();
  } else {
    standard_blocks = o.blocks().size() == 3 && o.blocks()[0] == o.blocks()[1] && o.blocks()[1] == o.blocks()[2];
    if (is_imagenet_depth(depth)) extras.push_back("cifar");
  }
  if (!standard_blocks) {
    std::string b = "blocks";
    for (size_t i = 0; i < o.blocks().size(); ++i) b += (i ? "-" : "") + std::to_string(o.blocks()[i]);
    extras.push_back(b);
  }
  const bool imagenet = o.stem() == Stem::imagenet;
  if (o.base_channels() != 64) extras.push_back(fmt::format("base{}", o.base_channels()));
  if (o.stem_channels() != 64) extras.push_back(fmt::format("stem{}", o.stem_channels()));
  if (!imagenet && o.stem_stride() != 1) extras.push_back(fmt::format("stride{}", o.stem_stride()));
  if (o.input_channels() != 3) extras.push_back(fmt::format("in{}", o.input_channels()));
  if (o.num_classes() != (imagenet ? 1000 : 10)) extras.push_back(fmt::format("classes{}", o.num_classes()));
  if (!o.shortcut()) extras.push_back("noshortcut");
  if (extras.empty()) return name;
  name += "+";
  for (size_t i = 0; i < extras.size(); ++i) name += (i ? "," : "") + extras[i];
  return name;
}

std::vector<std::string> example_presets() {
  return {"resnet50", "resnext50_32x4d", "resnet101_1x100d", "resnext101_64x4d", "resnext29_8x64d"};
}

}  // namespace ablate::models
