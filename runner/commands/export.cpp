// `ablate export NAME --variant V [--profile P] [--seed S] [--epoch final|N] [--set k=v]... -o FILE.pt`:
// a trained run's weights as a state_dict file that Python's torch.load reads into a dict[str, Tensor]
// (core/models/state_dict_file.h): torchvision's keys and shapes for ImageNet-layout nets, plus a metadata
// entry (preset, the torchvision.models constructor when there is one, model options, run key, epoch,
// ablate version and the commit it was built from). The weights come from the run's checkpoint
// (results/checkpoints/<run key>/epoch-<k>.pt); the results database is not needed.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>

#include "core/config/experiment.h"
#include "core/config/run_spec_json.h"
#include "core/models/presets.h"
#include "core/models/resnet.h"
#include "core/models/state_dict.h"
#include "core/models/state_dict_file.h"
#include "core/train/atomic_file.h"
#include "core/train/checkpoint.h"
#include "results/provenance.h"
#include "runner/build_info.h"
#include "runner/commands/commands.h"
#include "runner/commands/experiment_options.h"
#include "runner/number_format.h"
#include "runner/run_selection.h"
#include "runner/version.h"

namespace ablate::runner {

namespace {

struct ExportArgs : ExperimentOptions {
  std::string variant;
  std::optional<int64_t> seed;
  int64_t seed_value = 0;  // --seed as parsed; `seed` is set when it was given
  std::string epoch = "final";
  std::string checkpoints = "results/checkpoints";
  std::string output;
};

std::string epochs_list(const std::vector<int64_t>& epochs) {
  std::string list;
  for (int64_t e : epochs) list += (list.empty() ? "" : ", ") + std::to_string(e);
  return list;
}

// The checkpoint to export: the run's final epoch, or epoch N; refused with what is on disk otherwise.
int64_t pick_epoch(const ExportArgs& args, const config::RunSpec& spec, const train::CheckpointStore& checkpoints) {
  const std::vector<int64_t> on_disk = checkpoints.epochs_on_disk();
  const std::string run = fmt::format("run {} ({}, seed {})", spec.run_key, spec.variant, spec.seed);
  if (on_disk.empty()) {
    throw std::runtime_error(fmt::format("{} has no checkpoint in {}: train it first with `ablate run {}` and the "
                                         "same --profile and --set (or give --checkpoints)",
                                         run, checkpoints.directory().string(), args.name));
  }
  int64_t epoch = spec.train.epochs;
  if (args.epoch != "final") {
    static const std::regex number("[1-9][0-9]{0,8}");
    if (!std::regex_match(args.epoch, number)) {
      throw std::invalid_argument(fmt::format("--epoch \"{}\": expected final or an epoch number >= 1", args.epoch));
    }
    epoch = std::stoll(args.epoch);
  }
  if (std::find(on_disk.begin(), on_disk.end(), epoch) == on_disk.end()) {
    throw std::runtime_error(fmt::format(
        "{} has no checkpoint of epoch {}{} (on disk: epoch {}; a finished run keeps only its last one unless it "
        "was run with --keep-checkpoints): give --epoch {}",
        run, epoch, args.epoch == "final" ? fmt::format(", its final one of {}", spec.train.epochs) : "",
        epochs_list(on_disk), on_disk.back()));
  }
  return epoch;
}

// The torchvision.models constructor that builds this network (with num_classes), when there is one.
nlohmann::json torchvision_name(models::ResNetOptions options) {
  static const std::map<std::string, std::string> names = {
      {"resnet50", "resnet50"},
      {"resnet101", "resnet101"},
      {"resnet152", "resnet152"},
      {"resnext50_32x4d", "resnext50_32x4d"},
      {"resnext101_32x8d", "resnext101_32x8d"},
      {"resnext101_64x4d", "resnext101_64x4d"},
      {"resnet50_1x128d", "wide_resnet50_2"},
      {"resnet101_1x128d", "wide_resnet101_2"}};
  const auto found = names.find(models::equivalent_preset(options.num_classes(1000)));
  return found == names.end() ? nlohmann::json(nullptr) : nlohmann::json(found->second);
}

std::string metadata(const config::RunSpec& spec, int64_t epoch) {
  const nlohmann::json run = config::to_json(spec);
  const results::GitState built_from = build_git_state();
  nlohmann::json meta = {{"format", "ablate state_dict 1"},
                         {"ablate_version", kVersion},
                         {"ablate_commit", results::short_commit(built_from.commit, built_from.dirty)},
                         {"experiment", spec.experiment},
                         {"profile", spec.profile},
                         {"variant", spec.variant},
                         {"seed", spec.seed},
                         {"run_key", spec.run_key},
                         {"epoch", epoch},
                         {"epochs", spec.train.epochs},
                         {"preset", spec.model.preset},
                         {"torchvision", torchvision_name(spec.model.options)},
                         {"dataset", spec.data.dataset},
                         {"model", run.at("model")}};
  return meta.dump();
}

int run_export(const ExportArgs& args) {
  const std::string path = config::find_experiment(args.name, args.dir);
  const config::Experiment experiment = config::load_experiment(path);
  const config::RunSpec spec = select_one_run(experiment, args.profile, args.sets, args.variant, args.seed);
  const train::CheckpointStore checkpoints(std::filesystem::path(args.checkpoints) / spec.run_key, spec.run_key);
  const int64_t epoch = pick_epoch(args, spec, checkpoints);

  models::ResNet net(spec.model.options);
  checkpoints.load_model(epoch, *net);
  const models::NamedTensors tensors = models::state_dict(*net);
  train::write_file_atomically(args.output, [&](const std::string& temp_path) {
    models::write_state_dict_file(temp_path, tensors, metadata(spec, epoch));
  });
  int64_t parameters = 0;
  for (const auto& p : net->parameters()) parameters += p.numel();
  fmt::print("exported {} seed {} (run {}, epoch {}/{}) to {}: {} tensors, {} parameters, preset {}\n", spec.variant,
             spec.seed, spec.run_key, epoch, spec.train.epochs, args.output, tensors.size(),
             group_thousands(parameters), spec.model.preset);
  return 0;
}

}  // namespace

void add_export_command(CLI::App& app, int& status) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Write a trained run's weights as a state_dict file for Python (torch.load, torchvision names)");
  add_experiment_options(cmd, *args, kTrainedOverridesHelp);
  cmd->add_option("--variant", args->variant, "The variant whose run to export")->required();
  CLI::Option* seed = cmd->add_option("--seed", args->seed_value, "Seed of the run (default: the variant's first seed)");
  cmd->add_option("--epoch", args->epoch, "final (the run's last epoch) or an epoch number with a checkpoint")
      ->capture_default_str();
  cmd->add_option("--checkpoints", args->checkpoints, "Checkpoint directory (one folder per run key)")
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "The file to write (FILE.pt)")->required();
  cmd->callback([args, seed, &status] {
    if (seed->count() > 0) args->seed = args->seed_value;
    status = run_export(*args);
  });
}

}  // namespace ablate::runner
