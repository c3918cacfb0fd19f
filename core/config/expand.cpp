#include "core/config/expand.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "core/config/run_decoder.h"
#include "core/config/run_spec_json.h"
#include "core/config/value_reader.h"
#include "core/models/complexity.h"
#include "core/models/presets.h"
#include "core/models/solver.h"

namespace ablate::config {

namespace {

const std::vector<std::string> kSetRoots = {"model", "data", "train", "seeds"};

struct Resolved {
  ModelSpec model;
  DataSpec data;
  TrainSpec train;
};

// Resolves variants on demand so a `match` can refer to a variant declared later; memoised per expansion.
class Resolver {
 public:
  Resolver(const Experiment& e, const ConfigNode& profile_base, const ConfigNode& set_tree, ErrorList& errors)
      : e_(e), profile_base_(profile_base), set_tree_(set_tree), errors_(errors) {}

  const std::optional<Resolved>& resolve(size_t index) {
    if (auto it = done_.find(index); it != done_.end()) return it->second;
    in_progress_.push_back(index);
    std::optional<Resolved> result = compute(index);
    in_progress_.pop_back();
    return done_[index] = std::move(result);
  }

 private:
  ConfigNode merged_settings(const VariantSpec& v) const {
    const auto& rules = overlay_exclusive_keys();
    const auto& maps = overlay_exclusive_maps();
    ConfigNode merged = merge(e_.base, keep_template_width(e_.base, profile_base_), rules, maps);
    merged = merge(merged, keep_template_width(merged, v.overrides), rules, maps);
    ConfigNode set_settings = set_tree_;
    set_settings.erase("seeds");
    return merge(merged, keep_template_width(merged, set_settings), rules, maps);
  }

  std::optional<Resolved> compute(size_t index) {
    const VariantSpec& v = e_.variants[index];
    const ConfigNode merged = merged_settings(v);
    DecodedRun run = decode_run(merged, errors_);
    if (!run.ok) return std::nullopt;
    if (run.match && !solve(index, *run.match, run.model)) return std::nullopt;

    // The model as a whole: what no single key can be blamed for (e.g. an image too small for the strides).
    try {
      models::validate(run.model.options);
      models::analyze(run.model.options, run.model.image_size);
    } catch (const std::invalid_argument& ex) {
      errors_.add(run.model_location, fmt::format("variant \"{}\": {}", v.name, ex.what()));
      return std::nullopt;
    }
    run.model.preset = models::equivalent_preset(run.model.options);
    return Resolved{run.model, run.data, run.train};
  }

  bool solve(size_t index, const MatchRequest& m, ModelSpec& model) {
    const std::string& name = m.reference;
    models::ResNetOptions reference;
    const auto variant_names = e_.variant_names();
    const auto found = std::find(variant_names.begin(), variant_names.end(), name);
    if (found != variant_names.end()) {
      const size_t ref_index = static_cast<size_t>(found - variant_names.begin());
      if (ref_index == index) {
        errors_.add(m.reference_location, fmt::format("variant \"{}\" cannot match its own complexity", name));
        return false;
      }
      if (std::find(in_progress_.begin(), in_progress_.end(), ref_index) != in_progress_.end()) {
        std::string chain;
        for (size_t i : in_progress_) chain += e_.variants[i].name + " -> ";
        errors_.add(m.reference_location, fmt::format("match references form a cycle: {}{}", chain, name));
        return false;
      }
      const auto& ref = resolve(ref_index);
      if (!ref) return false;  // its own errors are already reported
      reference = ref->model.options;
    } else {
      try {
        reference = models::preset(name).options;
      } catch (const std::invalid_argument&) {
        errors_.add(m.reference_location,
                    fmt::format("unknown match reference \"{}\": expected a variant of this experiment{} or a preset "
                                "({})",
                                name, suggestion_suffix(name, variant_names), models::preset_grammar()));
        return false;
      }
      // A preset is compared on this run's data: same input channels and classes.
      reference.input_channels(model.options.input_channels()).num_classes(model.options.num_classes());
    }
    try {
      model.matched_reference = name;
      model.matched_by = models::to_string(m.by);
      model.matched_scope = models::to_string(m.scope);
      model.matched_solve = models::to_string(m.solve);
      if (m.solve == models::SolveFor::depth) {
        const models::DepthSolution s = models::solve_depth(model.options, reference, m.by, m.scope, model.image_size);
        model.options.blocks(s.blocks);
        model.match_relative_difference = s.relative_difference;
      } else {
        const models::WidthSolution s = models::solve_width(model.options, reference, m.by, m.scope, model.image_size);
        model.options.bottleneck_width(s.width);
        model.match_relative_difference = s.relative_difference;
      }
    } catch (const std::invalid_argument& ex) {
      errors_.add(m.reference_location, fmt::format("cannot match \"{}\": {}", name, ex.what()));
      return false;
    }
    return true;
  }

  const Experiment& e_;
  const ConfigNode& profile_base_;
  const ConfigNode& set_tree_;
  ErrorList& errors_;
  std::map<size_t, std::optional<Resolved>> done_;
  std::vector<size_t> in_progress_;
};

ConfigNode parse_set_overrides(const std::vector<std::string>& set_overrides, ErrorList& errors) {
  ConfigNode tree = make_map(SourceLocation{"--set", 0, 0, ""});
  ValueReader r(errors);
  for (const auto& assignment : set_overrides) {
    try {
      ConfigNode one = parse_set_override(assignment);
      r.check_keys(one, kSetRoots);
      // Each --set is a layer of its own: checked before a later one can override it.
      check_layer(one, Layer::command_line, errors);
      tree = merge(tree, one, overlay_exclusive_keys(), overlay_exclusive_maps());
    } catch (const ConfigError& e) {
      errors.append(e);
    }
  }
  return tree;
}

std::vector<int64_t> unique_seeds(const ConfigNode& node, ValueReader& r) {
  auto seeds = r.integers(node, 0);
  if (!seeds) return {};
  std::set<int64_t> seen;
  for (size_t i = 0; i < seeds->size(); ++i) {
    if (!seen.insert((*seeds)[i]).second) {
      r.error(node.items[i].location, fmt::format("seed {} is listed twice", (*seeds)[i]));
      return {};
    }
  }
  if (seeds->empty()) r.fail(node, "at least one seed");
  return *seeds;
}

}  // namespace

std::vector<RunSpec> expand_into(const Experiment& e, const std::string& profile_name,
                                 const std::vector<std::string>& set_overrides, ErrorList& errors) {
  const ProfileSpec* profile = nullptr;
  if (!profile_name.empty()) {
    profile = e.find_profile(profile_name);
    if (profile == nullptr) {
      const auto names = e.profile_names();
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      errors.add(SourceLocation{e.path, 0, 0, ""},
                 fmt::format("unknown profile \"{}\"{}; this experiment has: {}", profile_name,
                             suggestion_suffix(profile_name, names), list.empty() ? "no profiles" : list));
      return {};
    }
  }
  // Bad --set arguments stop here (their own list: `errors` may already hold the same message).
  ErrorList set_errors;
  const ConfigNode set_tree = parse_set_overrides(set_overrides, set_errors);
  if (!set_errors.empty()) {
    for (const auto& message : set_errors.messages()) errors.add_formatted(message);
    return {};
  }

  std::vector<int64_t> seeds = profile && !profile->seeds.empty() ? profile->seeds : e.seeds;
  if (const ConfigNode* set_seeds = set_tree.find("seeds")) {
    ValueReader r(errors);
    seeds = unique_seeds(*set_seeds, r);
  }

  const ConfigNode empty_profile_base = make_map(SourceLocation{});
  Resolver resolver(e, profile ? profile->base : empty_profile_base, set_tree, errors);
  std::vector<RunSpec> runs;
  for (size_t i = 0; i < e.variants.size(); ++i) {
    const VariantSpec& v = e.variants[i];
    if (profile && !profile->variants.empty() &&
        std::find(profile->variants.begin(), profile->variants.end(), v.name) == profile->variants.end()) {
      continue;
    }
    const auto& resolved = resolver.resolve(i);
    if (!resolved) continue;
    for (int64_t seed : seeds) {
      RunSpec run;
      run.experiment = e.name;
      run.profile = profile_name;
      run.variant = v.name;
      run.seed = seed;
      run.model = resolved->model;
      run.data = resolved->data;
      run.train = resolved->train;
      run.paper = v.paper;
      run.labels = v.labels;
      assign_keys(run);
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

std::vector<RunSpec> expand(const Experiment& e, const std::string& profile_name,
                            const std::vector<std::string>& set_overrides) {
  ErrorList errors;
  std::vector<RunSpec> runs = expand_into(e, profile_name, set_overrides, errors);
  errors.throw_if_any();
  return runs;
}

}  // namespace ablate::config
