#pragma once
// Weights files in a run's settings: model.init_from (training starts from them) and the weights
// `ablate eval` evaluates. A file enters a run by its SHA-256, read when the run is planned, so the run
// key says which bytes were used wherever the file lies. Torch-free: the file is only hashed here; it is
// read as a state_dict where the model is built (core/models/state_dict_file.h).

#include <string>

#include "core/config/run_spec.h"

namespace ablate::config {

// `path` made absolute (relative paths are taken from the working directory, as data.root) with the digest
// of the file's bytes. Throws std::runtime_error naming the file when it cannot be read.
WeightsSource weights_source(const std::string& path);

// The evaluation-only run of `planned`: the same settings (model, data, evaluation transform, precision),
// evaluating `weights` instead of training; keys reassigned.
RunSpec evaluation_spec(RunSpec planned, const WeightsSource& weights);

// The planned run an evaluation-only run evaluated the weights under: `evaluation` without its weights,
// keys reassigned. Its run key equals that of the run `ablate run` would train for those settings.
RunSpec evaluated_setting(RunSpec evaluation);

}  // namespace ablate::config
