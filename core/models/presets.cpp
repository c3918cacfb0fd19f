#include "core/models/presets.h"

#include <fmt/format.h>

#include <map>
#include <regex>
#include <sstream>
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
         "or D = 9n+2 (CIFAR, e.g. 29), optionally followed by '+' and options as `ablate show` prints them "
         "(e.g. resnext29_8x4d+base16,stride2,in1)";
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

namespace {

struct PresetName {
  int64_t depth = 0, cardinality = 1, width = 64;
  std::vector<std::string> extras;  // the ','-separated options after '+', as equivalent_preset writes them
};

PresetName parse_name(const std::string& name) {
  static const std::regex resnet_re(R"(resnet([0-9]+)(?:_1x([0-9]+)d)?)");
  static const std::regex resnext_re(R"(resnext([0-9]+)_([0-9]+)x([0-9]+)d)");
  const size_t plus = name.find('+');
  const std::string base = name.substr(0, plus);
  PresetName parsed;
  std::smatch m;
  if (std::regex_match(base, m, resnet_re)) {
    parsed.depth = parse_number(m[1], name);
    if (m[2].matched) parsed.width = parse_number(m[2], name);
  } else if (std::regex_match(base, m, resnext_re)) {
    parsed.depth = parse_number(m[1], name);
    parsed.cardinality = parse_number(m[2], name);
    parsed.width = parse_number(m[3], name);
  } else {
    throw std::invalid_argument(fmt::format("unknown preset \"{}\": expected {}", name, preset_grammar()));
  }
  if (parsed.cardinality < 1 || parsed.width < 1) {
    throw std::invalid_argument(fmt::format("preset \"{}\": cardinality and width must be >= 1, got {}x{}d", name,
                                            parsed.cardinality, parsed.width));
  }
  if (plus != std::string::npos) {
    std::stringstream in(name.substr(plus + 1) + ",");
    for (std::string extra; std::getline(in, extra, ',');) parsed.extras.push_back(extra);
  }
  return parsed;
}

// One option after '+' other than the stem; false when it is not one.
bool apply_extra(const std::string& extra, ResNetOptions& o, const std::string& name) {
  static const std::regex number_re(R"((base|stem|stride|in|classes)([0-9]+))");
  static const std::regex blocks_re(R"(blocks([0-9]+(?:-[0-9]+)*))");
  std::smatch m;
  if (extra == "noshortcut") {
    o.shortcut(false);
  } else if (std::regex_match(extra, m, blocks_re)) {
    std::vector<int64_t> blocks;
    std::stringstream in(m[1].str());
    for (std::string n; std::getline(in, n, '-');) blocks.push_back(parse_number(n, name));
    o.blocks(blocks);
  } else if (std::regex_match(extra, m, number_re)) {
    const int64_t value = parse_number(m[2], name);
    const std::string key = m[1];
    if (key == "base") o.base_channels(value);
    if (key == "stem") o.stem_channels(value);
    if (key == "stride") o.stem_stride(value);
    if (key == "in") o.input_channels(value);
    if (key == "classes") o.num_classes(value);
  } else {
    return false;
  }
  return true;
}

}  // namespace

Preset preset(const std::string& name) {
  const PresetName parsed = parse_name(name);
  Stem stem = is_imagenet_depth(parsed.depth) ? Stem::imagenet : Stem::cifar;
  for (const auto& extra : parsed.extras) {
    if (extra == "cifar") stem = Stem::cifar;
    if (extra == "imagenet") stem = Stem::imagenet;
  }
  Preset p;
  const bool imagenet = stem == Stem::imagenet;
  p.options.stem(stem).cardinality(parsed.cardinality).bottleneck_width(parsed.width);
  p.options.input_channels(3).num_classes(imagenet ? 1000 : 10);
  p.image_size = imagenet ? 224 : 32;
  bool blocks_given = false;
  for (const auto& extra : parsed.extras) {
    if (extra == "cifar" || extra == "imagenet") continue;
    if (!apply_extra(extra, p.options, name)) {
      throw std::invalid_argument(fmt::format(
          "unknown preset \"{}\": unknown option \"{}\" after '+' (expected cifar, imagenet, blocksA-B-..., baseN, "
          "stemN, strideN, inN, classesN or noshortcut)",
          name, extra));
    }
    blocks_given = blocks_given || extra.rfind("blocks", 0) == 0;
  }
  if (blocks_given) {
    if (depth_of(p.options) != parsed.depth) {
      throw std::invalid_argument(fmt::format("preset \"{}\": its blocks make depth {}, its name says {}", name,
                                              depth_of(p.options), parsed.depth));
    }
    return p;
  }
  try {
    p.options.blocks(blocks_for_depth(parsed.depth, stem));
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument(
        fmt::format("preset \"{}\": unsupported depth {}: expected {}", name, parsed.depth, preset_grammar()));
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
    if (!is_imagenet_depth(depth)) extras.push_back("imagenet");  // the name alone would read as a cifar net
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
