#include "runner/run_selection.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <stdexcept>

#include "core/config/expand.h"
#include "core/data/replica_split.h"

namespace ablate::runner {

Shard parse_shard(const std::string& text) {
  static const std::regex shard_re(R"(([0-9]{1,9})/([0-9]{1,9}))");
  std::smatch m;
  Shard shard;
  if (std::regex_match(text, m, shard_re)) {
    shard.index = std::stoll(m[1]);
    shard.count = std::stoll(m[2]);
    if (shard.count >= 1 && shard.index < shard.count) return shard;
  }
  throw std::invalid_argument(
      fmt::format("--shard \"{}\": expected i/n with 0 <= i < n (e.g. 0/4 .. 3/4)", text));
}

std::vector<std::string> selection_overrides(const RunSelection& selection) {
  std::vector<std::string> overrides = selection.set_overrides;
  if (!selection.seeds.empty()) {
    std::string list;
    for (int64_t seed : selection.seeds) list += (list.empty() ? "" : ",") + std::to_string(seed);
    overrides.push_back("seeds=[" + list + "]");
  }
  if (!selection.device.empty()) overrides.push_back("train.device=" + selection.device);
  return overrides;
}

namespace {

void require_variant(const config::Experiment& experiment, const std::string& name, const char* option) {
  if (experiment.find_variant(name)) return;
  std::string known;
  for (const auto& v : experiment.variant_names()) known += (known.empty() ? "\"" : ", \"") + v + "\"";
  throw std::invalid_argument(
      fmt::format("{} \"{}\": no such variant in {}; variants are {}", option, name, experiment.name, known));
}

}  // namespace

std::vector<config::RunSpec> select_runs(const config::Experiment& experiment, const std::string& profile,
                                         const RunSelection& selection) {
  const std::vector<std::string> overrides = selection_overrides(selection);

  for (const std::string& name : selection.only) require_variant(experiment, name, "--only");

  std::vector<config::RunSpec> runs = config::expand(experiment, profile, overrides);
  if (!selection.only.empty()) {
    runs.erase(std::remove_if(runs.begin(), runs.end(),
                              [&](const config::RunSpec& r) {
                                return std::find(selection.only.begin(), selection.only.end(), r.variant) ==
                                       selection.only.end();
                              }),
               runs.end());
  }
  std::vector<config::RunSpec> mine;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (static_cast<int64_t>(i) % selection.shard.count == selection.shard.index) mine.push_back(runs[i]);
  }
  return mine;
}

void check_batches_split(const std::vector<config::RunSpec>& runs, int64_t processes) {
  for (const auto& run : runs) {
    try {
      data::per_replica_batch(run.train.batch_size, processes);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("{} (variant '{}')", e.what(), run.variant));
    }
  }
}

config::RunSpec select_one_run(const config::Experiment& experiment, const std::string& profile,
                               const std::vector<std::string>& set_overrides, const std::string& variant,
                               std::optional<int64_t> seed) {
  require_variant(experiment, variant, "--variant");
  RunSelection selection;
  selection.set_overrides = set_overrides;
  selection.only = {variant};
  if (seed) selection.seeds = {*seed};
  const std::vector<config::RunSpec> runs = select_runs(experiment, profile, selection);
  if (runs.empty()) {  // a profile may leave a variant out
    throw std::invalid_argument(fmt::format("--variant \"{}\": the variant has no runs{}", variant,
                                            profile.empty() ? "" : " in profile " + profile));
  }
  return runs.front();
}

}  // namespace ablate::runner
