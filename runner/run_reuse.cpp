#include "runner/run_reuse.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/config/run_spec_json.h"

namespace ablate::runner {

ReusePlan plan_reuse(const results::Store& store, const config::RunSpec& spec) {
  ReusePlan plan;
  const std::optional<results::RunInfo> own = store.find_run(spec.run_key);
  if (spec.training_key.empty() || (own && own->status == results::RunStatus::Finished)) return plan;
  const int64_t own_epochs = own ? own->epochs_done : 0;
  const results::RunInfo* finished = nullptr;
  const results::RunInfo* interrupted = nullptr;
  const std::vector<results::RunInfo> twins = store.runs_with_training_key(spec.training_key);
  for (const results::RunInfo& twin : twins) {
    if (twin.record.run_key == spec.run_key) continue;
    if (twin.status == results::RunStatus::Finished) {
      if (finished == nullptr || (!finished->adopted_from.empty() && twin.adopted_from.empty())) finished = &twin;
    } else if ((twin.status == results::RunStatus::Killed || twin.stale) && twin.epochs_done > own_epochs &&
               (interrupted == nullptr || twin.epochs_done > interrupted->epochs_done)) {
      interrupted = &twin;
    }
  }
  if (finished) {
    plan.kind = ReusePlan::Kind::adopt;
    plan.twin = *finished;
  } else if (interrupted) {
    plan.kind = ReusePlan::Kind::resume_twin;
    plan.twin = *interrupted;
  }
  return plan;
}

std::optional<config::RunSpec> as_twin(const config::RunSpec& spec, const results::RunInfo& twin) {
  config::RunSpec renamed = spec;
  renamed.experiment = twin.record.experiment;
  renamed.profile = twin.record.profile;
  renamed.variant = twin.record.variant;
  try {
    renamed.paper = nlohmann::json::parse(twin.record.paper_json).get<std::map<std::string, double>>();
    renamed.labels = nlohmann::json::parse(twin.record.labels_json).get<std::map<std::string, std::string>>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  config::assign_keys(renamed);
  if (renamed.run_key != twin.record.run_key || renamed.training_key != spec.training_key) return std::nullopt;
  return renamed;
}

std::string describe_twin(const results::RunInfo& twin) {
  return fmt::format("{} / {} seed {} (run {})", twin.record.experiment, twin.record.variant, twin.record.seed,
                     twin.record.run_key);
}

std::string describe_plan(const ReusePlan& plan) {
  switch (plan.kind) {
    case ReusePlan::Kind::none: return "";
    case ReusePlan::Kind::adopt: return "would adopt " + describe_twin(plan.twin);
    case ReusePlan::Kind::resume_twin:
      return fmt::format("would resume {} ({} epochs stored) and adopt it", describe_twin(plan.twin),
                         plan.twin.epochs_done);
  }
  return "";
}

}  // namespace ablate::runner
