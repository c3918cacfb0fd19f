#include "results/run_record.h"

#include <nlohmann/json.hpp>

#include "core/config/run_spec_json.h"
#include "core/models/complexity.h"
#include "results/metric_selection.h"

namespace ablate::results {

RunRecord run_record(const config::RunSpec& spec) {
  RunRecord r;
  r.run_key = spec.run_key;
  r.group_key = spec.group_key;
  r.training_key = spec.training_key;
  r.experiment = spec.experiment;
  r.profile = spec.profile;
  r.variant = spec.variant;
  r.seed = spec.seed;
  r.config_json = config::to_json(spec).dump();
  r.paper_json = nlohmann::json(spec.paper).dump();
  r.labels_json = nlohmann::json(spec.labels).dump();
  // An evaluation is one pass, stored as epoch 1.
  r.epochs_planned = spec.evaluation_only() ? 1 : spec.train.epochs;
  r.evaluation_only = spec.evaluation_only();
  const models::Complexity cost = models::analyze(spec.model.options, spec.model.image_size);
  r.params = cost.params;
  r.macs = cost.macs;
  r.eval_split = eval_split(spec);
  return r;
}

}  // namespace ablate::results
