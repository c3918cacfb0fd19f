// `ablate inspect NAME`: the paper's Table 1 view of one preset (stage templates, output sizes),
// its exact params and GMACs, and in JSON every state_dict entry of the built module.
#include <fmt/format.h>
#include <torch/torch.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/models/complexity.h"
#include "core/models/presets.h"
#include "core/models/resnet.h"
#include "runner/commands/commands.h"
#include "runner/number_format.h"

namespace ablate::runner {

namespace {

struct InspectArgs {
  std::string name;
  int64_t image_size = 0;  // 0 = the preset's
  int64_t num_classes = 0;
  int64_t input_channels = 0;
  std::string format = "text";
};

void print_text(const std::string& name, const models::ResNetOptions& o, const models::Complexity& c) {
  fmt::print("{} ({}x{} input, {} channels, {} classes, {} stem)\n", name, c.image_size, c.image_size,
             o.input_channels(), o.num_classes(), models::to_string(o.stem()));
  fmt::print("{:<8} {:<9} {}\n", "stage", "output", "template");
  const auto size = [](int64_t s) { return fmt::format("{}x{}", s, s); };
  const models::LayerCost& stem = c.layers.front();
  fmt::print("{:<8} {:<9} {}x{}, {}, stride {}\n", "conv1", size(stem.out_size), stem.kernel, stem.kernel,
             stem.out_channels, stem.stride);
  if (o.stem() == models::Stem::imagenet) fmt::print("{:<8} {:<9} 3x3 max pool, stride 2\n", "", size(c.stem_output_size));
  for (const auto& s : c.stages) {
    fmt::print("{:<8} {:<9} {}\n", fmt::format("conv{}", s.index + 2), size(s.output_size), models::stage_template(s));
  }
  fmt::print("{:<8} {:<9} global average pool, {}-d fc, softmax\n", "", "1x1", o.num_classes());
  fmt::print("params   {} ({:.2f}M)\n", group_thousands(c.params), static_cast<double>(c.params) / 1e6);
  fmt::print("GMACs    {} ({} multiply-adds, conv + fc)\n", gmacs(c.macs), group_thousands(c.macs));
  if (!o.shortcut()) fmt::print("shortcuts removed\n");
}

void print_json(const std::string& name, const models::ResNetOptions& o, const models::Complexity& c) {
  nlohmann::ordered_json out;
  out["name"] = name;
  out["image_size"] = c.image_size;
  out["input_channels"] = o.input_channels();
  out["num_classes"] = o.num_classes();
  out["params"] = c.params;
  out["macs"] = c.macs;
  out["stages"] = nlohmann::json::array();
  for (const auto& s : c.stages) {
    out["stages"].push_back({{"name", fmt::format("layer{}", s.index + 1)}, {"blocks", s.blocks},
                             {"output_size", s.output_size}, {"width", s.bottleneck_in},
                             {"cardinality", s.cardinality}, {"out_channels", s.out_channels},
                             {"params", s.params}, {"macs", s.macs}, {"template", models::stage_template(s)}});
  }
  // The names and shapes come from the real module, so Python users can trust them for weight exchange.
  models::ResNet net(o);
  out["parameters"] = nlohmann::json::array();
  auto add_entry = [&](const std::string& key, const torch::Tensor& t) {
    out["parameters"].push_back({{"name", key}, {"shape", t.sizes().vec()}});
  };
  for (const auto& p : net->named_parameters()) add_entry(p.key(), p.value());
  for (const auto& b : net->named_buffers()) add_entry(b.key(), b.value());
  std::cout << out.dump(2) << "\n";
}

int run_inspect(const InspectArgs& args) {
  models::Preset p = models::preset(args.name);
  if (args.num_classes) p.options.num_classes(args.num_classes);
  if (args.input_channels) p.options.input_channels(args.input_channels);
  const int64_t image_size = args.image_size ? args.image_size : p.image_size;
  const models::Complexity c = models::analyze(p.options, image_size);
  if (args.format == "json") {
    print_json(args.name, p.options, c);
  } else {
    print_text(args.name, p.options, c);
  }
  return 0;
}

}  // namespace

void add_inspect_command(CLI::App& app, int& status) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Show a preset's stage layout (paper Table 1 style) with its exact params and GMACs");
  cmd->add_option("name", args->name, std::string("Preset: ") + models::preset_grammar())->required();
  cmd->add_option("--image-size", args->image_size, "Input side in px (default: 224 ImageNet, 32 CIFAR)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--num-classes", args->num_classes, "Classes of the fc layer")->check(CLI::PositiveNumber);
  cmd->add_option("--input-channels", args->input_channels, "Input image channels")->check(CLI::PositiveNumber);
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, &status] { status = run_inspect(*args); });
}

}  // namespace ablate::runner
