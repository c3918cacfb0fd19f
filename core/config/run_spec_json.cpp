#include "core/config/run_spec_json.h"

#include <cstdint>
#include <map>
#include <vector>

#include "core/config/sha256.h"

namespace ablate::config {

namespace {

using nlohmann::json;

json model_options_json(const ModelSpec& m) {
  const models::ResNetOptions& o = m.options;
  json j{{"blocks", o.blocks()},
         {"cardinality", o.cardinality()},
         {"bottleneck_width", o.bottleneck_width()},
         {"stem", models::to_string(o.stem())},
         {"base_channels", o.base_channels()},
         {"stem_channels", o.stem_channels()},
         {"stem_stride", o.stem_stride()},
         {"input_channels", o.input_channels()},
         {"num_classes", o.num_classes()},
         {"shortcut", o.shortcut()},
         {"zero_init_last_bn", o.zero_init_last_bn()},
         {"image_size", m.image_size}};
  // Only when set, so runs trained from scratch kept their keys. The digest, not the path, is identity.
  if (!m.init_from.empty()) j["init_from_sha256"] = m.init_from.sha256;
  return j;
}

// canonical: the identity form (no placement: root, workers); else everything, for to_json.
json data_json(const DataSpec& d, bool canonical) {
  json j{{"dataset", d.dataset},
         {"label_kind", d.label_kind},
         {"train_subset", d.train_subset},
         {"val_size", d.val_size},
         {"crop_padding", d.crop_padding},
         {"horizontal_flip", d.horizontal_flip},
         {"mean", d.mean},
         {"std", d.std},
         {"synthetic_train_size", d.synthetic_train_size},
         {"synthetic_test_size", d.synthetic_test_size},
         {"synthetic_image_size", d.synthetic_image_size},
         {"synthetic_channels", d.synthetic_channels},
         {"synthetic_classes", d.synthetic_classes},
         {"synthetic_noise", d.synthetic_noise}};
  // Only where they apply, so adding them left every other dataset's run keys as they were.
  if (d.dataset == "imagenet" || !canonical) {
    j["classes"] = d.classes;
    j["image_size"] = d.image_size;
    j["on_bad_image"] = d.on_bad_image;
  }
  if (!canonical) {
    j["root"] = d.root;
    j["workers"] = d.workers;
  }
  return j;
}

json schedule_json(const ScheduleSpec& s) {
  return json{{"kind", to_string(s.kind)},         {"milestones", s.milestones},       {"step_size", s.step_size},
              {"gamma", s.gamma},       {"warmup_epochs", s.warmup_epochs}, {"min_lr", s.min_lr}};
}

json train_json(const TrainSpec& t, bool with_placement) {
  json j{{"epochs", t.epochs},
         {"batch_size", t.batch_size},
         {"lr", t.lr},
         {"momentum", t.momentum},
         {"nesterov", t.nesterov},
         {"weight_decay", t.weight_decay},
         {"weight_decay_on_bn_and_bias", t.weight_decay_on_bn_and_bias},
         {"label_smoothing", t.label_smoothing},
         {"schedule", schedule_json(t.schedule)},
         {"precision", to_string(t.precision)},
         {"deterministic", t.deterministic}};
  if (with_placement) {
    j["eval_batch_size"] = t.eval_batch_size;
    j["device"] = to_string(t.device);
    j["channels_last"] = t.channels_last;
    j["threads"] = t.threads;
  }
  return j;
}

}  // namespace

nlohmann::json canonical_object(const RunSpec& run, bool include_seed) {
  json j{{"format", kCanonicalFormat},
         {"experiment", run.experiment},
         {"variant", run.variant},
         {"model", model_options_json(run.model)},
         {"data", data_json(run.data, true)},
         {"train", train_json(run.train, false)}};
  if (include_seed) j["seed"] = run.seed;
  if (run.evaluation_only()) j["evaluated_weights_sha256"] = run.evaluated_weights.sha256;
  return j;
}

std::string canonical_json(const RunSpec& run, bool include_seed) { return canonical_object(run, include_seed).dump(); }

nlohmann::json training_object(const RunSpec& run) {
  json j = canonical_object(run, true);
  j.erase("experiment");
  j.erase("variant");
  return j;
}

void assign_keys(RunSpec& run) {
  run.canonical = canonical_json(run, true);
  run.run_key = sha256_hex(run.canonical).substr(0, 16);
  run.group_key = sha256_hex(canonical_json(run, false)).substr(0, 16);
  run.training_key = sha256_hex(training_object(run).dump()).substr(0, 16);
}

nlohmann::json to_json(const RunSpec& run) {
  json model = model_options_json(run.model);
  model["preset"] = run.model.preset;
  model["matched_reference"] = run.model.matched_reference;
  model["matched_by"] = run.model.matched_by;
  model["matched_scope"] = run.model.matched_scope;
  model["matched_solve"] = run.model.matched_solve;
  model["match_relative_difference"] = run.model.match_relative_difference;
  if (!run.model.init_from.empty()) model["init_from"] = run.model.init_from.path;
  json j{{"experiment", run.experiment},
         {"profile", run.profile},
         {"variant", run.variant},
         {"seed", run.seed},
         {"model", model},
         {"data", data_json(run.data, false)},
         {"train", train_json(run.train, true)},
         {"paper", run.paper},
         {"labels", run.labels},
         {"run_key", run.run_key},
         {"group_key", run.group_key},
         {"training_key", run.training_key}};
  if (run.evaluation_only()) {
    j["evaluated_weights"] = run.evaluated_weights.path;
    j["evaluated_weights_sha256"] = run.evaluated_weights.sha256;
  }
  return j;
}

RunSpec run_spec_from_json(const nlohmann::json& j) {
  RunSpec run;
  run.experiment = j.at("experiment").get<std::string>();
  run.profile = j.at("profile").get<std::string>();
  run.variant = j.at("variant").get<std::string>();
  run.seed = j.at("seed").get<int64_t>();

  const json& m = j.at("model");
  models::ResNetOptions& o = run.model.options;
  o.blocks(m.at("blocks").get<std::vector<int64_t>>());
  o.cardinality(m.at("cardinality").get<int64_t>());
  o.bottleneck_width(m.at("bottleneck_width").get<int64_t>());
  o.stem(m.at("stem").get<std::string>() == "cifar" ? models::Stem::cifar : models::Stem::imagenet);
  o.base_channels(m.at("base_channels").get<int64_t>());
  o.stem_channels(m.at("stem_channels").get<int64_t>());
  o.stem_stride(m.at("stem_stride").get<int64_t>());
  o.input_channels(m.at("input_channels").get<int64_t>());
  o.num_classes(m.at("num_classes").get<int64_t>());
  o.shortcut(m.at("shortcut").get<bool>());
  o.zero_init_last_bn(m.at("zero_init_last_bn").get<bool>());
  run.model.image_size = m.at("image_size").get<int64_t>();
  run.model.preset = m.at("preset").get<std::string>();
  run.model.matched_reference = m.at("matched_reference").get<std::string>();
  run.model.matched_by = m.at("matched_by").get<std::string>();
  run.model.matched_scope = m.value("matched_scope", std::string());
  // Absent from runs stored before the depth solver: a match then always solved the width.
  run.model.matched_solve =
      m.value("matched_solve", run.model.matched_reference.empty() ? std::string() : std::string("width"));
  run.model.match_relative_difference = m.at("match_relative_difference").get<double>();
  // Absent from runs stored before weights files could be given.
  run.model.init_from.path = m.value("init_from", std::string());
  run.model.init_from.sha256 = m.value("init_from_sha256", std::string());

  const json& d = j.at("data");
  DataSpec& data = run.data;
  data.dataset = d.at("dataset").get<std::string>();
  data.root = d.at("root").get<std::string>();
  data.label_kind = d.at("label_kind").get<std::string>();
  data.train_subset = d.at("train_subset").get<int64_t>();
  data.val_size = d.at("val_size").get<int64_t>();
  data.crop_padding = d.at("crop_padding").get<int64_t>();
  data.horizontal_flip = d.at("horizontal_flip").get<bool>();
  data.mean = d.at("mean").get<std::vector<double>>();
  data.std = d.at("std").get<std::vector<double>>();
  data.synthetic_train_size = d.at("synthetic_train_size").get<int64_t>();
  data.synthetic_test_size = d.at("synthetic_test_size").get<int64_t>();
  data.synthetic_image_size = d.at("synthetic_image_size").get<int64_t>();
  data.synthetic_channels = d.at("synthetic_channels").get<int64_t>();
  data.synthetic_classes = d.at("synthetic_classes").get<int64_t>();
  data.synthetic_noise = d.at("synthetic_noise").get<double>();
  // Absent from runs stored before the ImageFolder pipeline existed.
  data.classes = d.value("classes", int64_t{0});
  data.image_size = d.value("image_size", int64_t{0});
  data.on_bad_image = d.value("on_bad_image", std::string("fail"));
  data.workers = d.value("workers", int64_t{0});

  const json& t = j.at("train");
  TrainSpec& train = run.train;
  train.epochs = t.at("epochs").get<int64_t>();
  train.batch_size = t.at("batch_size").get<int64_t>();
  train.eval_batch_size = t.at("eval_batch_size").get<int64_t>();
  train.lr = t.at("lr").get<double>();
  train.momentum = t.at("momentum").get<double>();
  train.nesterov = t.at("nesterov").get<bool>();
  train.weight_decay = t.at("weight_decay").get<double>();
  train.weight_decay_on_bn_and_bias = t.at("weight_decay_on_bn_and_bias").get<bool>();
  train.label_smoothing = t.at("label_smoothing").get<double>();
  train.device = parse_device(t.at("device").get<std::string>());
  train.precision = parse_precision(t.at("precision").get<std::string>());
  train.deterministic = t.at("deterministic").get<bool>();
  train.channels_last = t.at("channels_last").get<bool>();
  train.threads = t.at("threads").get<int64_t>();
  const json& s = t.at("schedule");
  train.schedule.kind = parse_schedule_kind(s.at("kind").get<std::string>());
  train.schedule.milestones = s.at("milestones").get<std::vector<int64_t>>();
  train.schedule.step_size = s.at("step_size").get<int64_t>();
  train.schedule.gamma = s.at("gamma").get<double>();
  train.schedule.warmup_epochs = s.at("warmup_epochs").get<int64_t>();
  train.schedule.min_lr = s.at("min_lr").get<double>();

  run.paper = j.at("paper").get<std::map<std::string, double>>();
  run.labels = j.at("labels").get<std::map<std::string, std::string>>();
  run.evaluated_weights.path = j.value("evaluated_weights", std::string());
  run.evaluated_weights.sha256 = j.value("evaluated_weights_sha256", std::string());
  assign_keys(run);
  return run;
}

}  // namespace ablate::config
