#pragma once
// RunSpec: the unit of work and of identity. One variant of one experiment with one seed, fully
// resolved: no default is left implicit, so the canonical serialisation (and its hash, the run key)
// changes exactly when the run would behave differently. Plain structs, no YAML, no LibTorch:
// the data pipeline and the trainer read these, the config layer produces them.
//
// Contract between core/config (producer), core/data, core/train, runner and results (consumers):
// add fields freely (with a default, and in canonical_json), never rename or repurpose one.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/config/train_enums.h"
#include "core/models/resnet_options.h"

namespace ablate::config {

// A weights file a run reads (a state_dict in torch.save's format, core/models/state_dict_file.h).
struct WeightsSource {
  std::string path;    // absolute
  std::string sha256;  // of the file's bytes when the run was planned: hashed into the run key, not the path
  bool empty() const { return path.empty(); }
};

struct ModelSpec {
  models::ResNetOptions options;  // bottleneck_width already solved when the YAML gave `match`
  int64_t image_size = 32;        // side of the (square) network input; follows the dataset unless set
  std::string preset;             // models::equivalent_preset(options), for people
  // Set when the width (or the depth) came from a solver: what it matched and how close it got.
  std::string matched_reference;  // variant or preset name; empty when nothing was matched
  std::string matched_by;         // "params" | "macs"
  std::string matched_scope;      // "network" | "block"
  std::string matched_solve;      // "width" (options.bottleneck_width solved) | "depth" (options.blocks solved)
  double match_relative_difference = 0;
  // model.init_from: training starts from these weights instead of the seeded initialisation (fine-tuning).
  // Moving the file keeps the run key; other bytes change it.
  WeightsSource init_from;
};

struct DataSpec {
  std::string dataset = "fashion-mnist";  // fashion-mnist | mnist | cifar10 | cifar100 | imagenet | synthetic
  std::string root;                       // resolved directory; empty only for synthetic
  // cifar100 only: "fine" (100 classes, default) or "coarse" (20).
  std::string label_kind = "fine";
  int64_t train_subset = 0;  // 0 = whole train split; else a stratified subset of this many images
  int64_t val_size = 0;      // 0 = evaluate on the official test split; else carve this many from train
  // Augmentation, as batched tensor ops on the training device.
  int64_t crop_padding = 0;  // random crop of the zero-padded image (4 at 32 px in the paper); 0 = off
  bool horizontal_flip = false;
  // Per-channel normalisation; empty = computed on the training split.
  std::vector<double> mean;
  std::vector<double> std;
  // synthetic only: a deterministic, learnable dataset (class patterns plus noise).
  int64_t synthetic_train_size = 0;
  int64_t synthetic_test_size = 0;
  int64_t synthetic_image_size = 0;
  int64_t synthetic_channels = 0;
  int64_t synthetic_classes = 0;
  double synthetic_noise = 0;
  // imagenet only (any ImageFolder tree, streamed from disk; cleared for the other datasets):
  int64_t classes = 0;                // 0 = every class folder of ROOT/train; N = the first N by name
  int64_t image_size = 0;             // training crop and evaluation centre crop side; resolved (224 unless set)
  std::string on_bad_image = "fail";  // fail | skip: an unreadable image fails the run, or is left out with a warning
  int64_t workers = 0;                // decode threads; 0 = cores - 1 (at least 1). Placement: not hashed
};

struct ScheduleSpec {
  ScheduleKind kind = ScheduleKind::multistep;
  std::vector<int64_t> milestones;  // multistep: epochs at which lr *= gamma
  int64_t step_size = 0;            // step: lr *= gamma every step_size epochs
  double gamma = 0.1;
  int64_t warmup_epochs = 0;        // linear warm-up from lr/warmup_epochs; 0 = none
  double min_lr = 0;                // cosine floor
};

struct TrainSpec {
  int64_t epochs = 1;
  int64_t batch_size = 128;
  int64_t eval_batch_size = 512;
  double lr = 0.1;
  double momentum = 0.9;
  bool nesterov = false;
  double weight_decay = 1e-4;
  bool weight_decay_on_bn_and_bias = true;  // false: no decay on BN parameters and biases
  double label_smoothing = 0;
  ScheduleSpec schedule;
  DeviceSpec device;                       // auto | cpu | cuda | cuda:N
  Precision precision = Precision::fp32;   // bf16: autocast on a CUDA GPU that supports it, else refused
  bool deterministic = false;
  bool channels_last = true;
  int64_t threads = 0;             // CPU intra-op threads; 0 = all cores
};

struct RunSpec {
  std::string experiment;
  std::string profile;  // empty = the experiment's base settings
  std::string variant;
  int64_t seed = 0;
  ModelSpec model;
  DataSpec data;
  TrainSpec train;
  // Paper reference values for this variant (top1_err, top5_err, ...), for tables; not hashed.
  std::map<std::string, double> paper;
  // Free-form labels from the YAML for grouping rows in tables (e.g. group: "ResNeXt-50"); not hashed.
  std::map<std::string, std::string> labels;

  // Set by `ablate eval` (evaluation_spec): the run evaluates these weights once on the evaluation split,
  // with the evaluation transform, instead of training. Hashed, so an evaluation never shares a key with a
  // training run or with an evaluation of other weights.
  WeightsSource evaluated_weights;
  bool evaluation_only() const { return !evaluated_weights.empty(); }

  std::string canonical;  // canonical JSON of everything that changes the run (seed included)
  std::string run_key;    // hex hash of canonical
  std::string group_key;  // hex hash of canonical without the seed: seeds of one setting share it
  // hex hash of canonical without the experiment and variant names: what the training computes. Runs of
  // different experiments (or variants) with equal training keys train identically, so one can adopt
  // the other's finished results instead of training again.
  std::string training_key;
};

}  // namespace ablate::config
