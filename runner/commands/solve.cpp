// `ablate solve`: the bottleneck width d (paper Table 2), or with --solve depth the stage block counts
// (the paper's deeper nets), that preserve a reference's complexity.
#include <fmt/format.h>

#include <memory>

#include "core/models/complexity.h"
#include "core/models/presets.h"
#include "core/models/solver.h"
#include "runner/commands/commands.h"
#include "runner/number_format.h"

namespace ablate::runner {

namespace {

struct SolveArgs {
  std::string template_name;
  int64_t cardinality = 0;
  std::string reference;
  std::string by = "params";
  std::string scope = "network";
  std::string solve = "width";
  int64_t image_size = 0;
};

std::string measure_text(int64_t value, models::MatchBy by) {
  return by == models::MatchBy::macs ? fmt::format("{} GMACs", gmacs(value))
                                     : fmt::format("{} params", group_thousands(value));
}

int run_solve(const SolveArgs& args) {
  const models::MatchBy by = models::parse_match_by(args.by);
  const models::MatchScope scope = models::parse_match_scope(args.scope);
  models::Preset tmpl = models::preset(args.template_name);
  tmpl.options.cardinality(args.cardinality);
  const models::Preset reference = models::preset(args.reference);
  const int64_t image_size = args.image_size ? args.image_size : tmpl.image_size;

  models::ResNetOptions solved = tmpl.options;
  int64_t value = 0, reference_value = 0;
  double relative_difference = 0;
  if (models::parse_solve_for(args.solve) == models::SolveFor::depth) {
    const models::DepthSolution s = models::solve_depth(tmpl.options, reference.options, by, scope, image_size);
    solved.blocks(s.blocks);
    value = s.value;
    reference_value = s.reference_value;
    relative_difference = s.relative_difference;
    fmt::print("depth {}, blocks {}  ({}, matched by {} over the whole network, width kept)\n",
               models::depth_of(solved), blocks_text(s.blocks), models::equivalent_preset(solved), args.by);
  } else {
    const models::WidthSolution s = models::solve_width(tmpl.options, reference.options, by, scope, image_size);
    solved.bottleneck_width(s.width);
    value = s.value;
    reference_value = s.reference_value;
    relative_difference = s.relative_difference;
    fmt::print("d = {}  ({}, matched by {} over the {})\n", s.width, models::equivalent_preset(solved), args.by,
               scope == models::MatchScope::network ? "whole network" : "first-stage block (Eq. 4)");
  }
  const models::Complexity mine = models::analyze(solved, image_size);
  const models::Complexity theirs = models::analyze(reference.options, image_size);

  fmt::print("{:<28} {:>14} {:>8}\n", "", "params", "GMACs");
  fmt::print("{:<28} {:>14} {:>8}\n", models::equivalent_preset(solved), group_thousands(mine.params), gmacs(mine.macs));
  fmt::print("{:<28} {:>14} {:>8}\n", models::equivalent_preset(reference.options), group_thousands(theirs.params),
             gmacs(theirs.macs));
  fmt::print("matched measure: {} vs {} ({:+.2f}%)\n", measure_text(value, by), measure_text(reference_value, by),
             100.0 * relative_difference);
  return 0;
}

}  // namespace

void add_solve_command(CLI::App& app, int& status) {
  auto args = std::make_shared<SolveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "solve", "Find the bottleneck width d (Table 2), or the depth, that keeps a template's complexity equal to a "
               "reference's");
  cmd->add_option("--template", args->template_name, "Preset whose depth and stem are kept, e.g. resnext50_32x4d")
      ->required();
  cmd->add_option("--cardinality,-C", args->cardinality, "Cardinality C of the template")->required();
  cmd->add_option("--reference", args->reference, "Preset whose complexity is preserved, e.g. resnet50")->required();
  cmd->add_option("--by", args->by, "Match parameters or multiply-adds")->check(CLI::IsMember({"params", "macs"}));
  cmd->add_option("--scope", args->scope, "Match over the whole network or one first-stage block (paper Eq. 4)")
      ->check(CLI::IsMember({"network", "block"}));
  cmd->add_option("--solve", args->solve,
                  "What to solve: width (d; depth kept) or depth (stage blocks: the third of four stages grows, or "
                  "all three of a CIFAR template; width kept)")
      ->check(CLI::IsMember({"width", "depth"}));
  cmd->add_option("--image-size", args->image_size, "Input side in px for MACs (default: the template's)")
      ->check(CLI::PositiveNumber);
  cmd->callback([args, &status] { status = run_solve(*args); });
}

}  // namespace ablate::runner
