#include "core/config/run_decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "core/config/dataset_catalog.h"
#include "core/config/image_folder_classes.h"
#include "core/config/value_reader.h"
#include "core/config/weights_source.h"
#include "core/models/presets.h"

namespace ablate::config {

const std::vector<std::string>& model_keys() {
  static const std::vector<std::string> keys = {
      "preset",        "depth",         "blocks",      "cardinality",    "bottleneck_width",
      "match",         "stem",          "base_channels", "stem_channels", "stem_stride",
      "input_channels", "num_classes",  "shortcut",    "zero_init_last_bn", "image_size",
      "width_scale",   "init_from"};
  return keys;
}

const std::vector<std::string>& data_keys() {
  static const std::vector<std::string> keys = {
      "dataset",          "root",         "label_kind",          "train_subset",         "val_size",
      "crop_padding",     "horizontal_flip", "mean",             "std",                  "synthetic_train_size",
      "synthetic_test_size", "synthetic_image_size", "synthetic_channels", "synthetic_classes", "synthetic_noise",
      "classes",          "image_size",   "on_bad_image",        "workers"};
  return keys;
}

const std::vector<std::string>& train_keys() {
  static const std::vector<std::string> keys = {
      "epochs",  "batch_size",    "eval_batch_size", "lr",     "momentum",      "nesterov",
      "weight_decay", "weight_decay_on_bn_and_bias", "label_smoothing", "schedule", "device",
      "precision", "deterministic", "channels_last", "threads"};
  return keys;
}

const std::vector<std::string>& schedule_keys() {
  static const std::vector<std::string> keys = {"kind", "milestones", "step_size", "gamma", "warmup_epochs", "min_lr"};
  return keys;
}

const ExclusiveKeys& overlay_exclusive_keys() {
  static const ExclusiveKeys rules = {
      {"preset", "depth", "blocks", "cardinality", "bottleneck_width", "match"},
      {"depth", "blocks"},
      {"blocks", "depth"},
      {"bottleneck_width", "match"},
      {"match", "bottleneck_width"},
      {"kind", "milestones", "step_size", "gamma", "min_lr"},
  };
  return rules;
}

const std::vector<std::string>& overlay_exclusive_maps() {
  static const std::vector<std::string> maps = {"model", "schedule"};
  return maps;
}

namespace {

bool solves_depth(const ConfigNode* match);

}  // namespace

ConfigNode keep_template_width(const ConfigNode& below, ConfigNode overlay) {
  const ConfigNode* below_model = below.is_map() ? below.find("model") : nullptr;
  const ConfigNode* model = overlay.is_map() ? overlay.find("model") : nullptr;
  if (below_model == nullptr || !below_model->is_map() || model == nullptr || !model->is_map()) return overlay;
  ConfigNode kept = *model;
  const auto copy_from_below = [&](const char* key) {
    const ConfigNode::Entry* entry = below_model->find_entry(key);
    if (entry != nullptr && !kept.contains(key)) kept.set(key, entry->key_location, entry->value);
  };
  if (solves_depth(model->find("match"))) copy_from_below("bottleneck_width");
  if (model->contains("bottleneck_width") && !model->contains("match") && !model->contains("preset") &&
      solves_depth(below_model->find("match"))) {
    copy_from_below("match");
  }
  overlay.set("model", overlay.find_entry("model")->key_location, std::move(kept));
  return overlay;
}

namespace {

const std::vector<std::string> kMatchKeys = {"reference", "by", "scope", "solve"};

// True when `match` (a model's match value) asks for the depth to be solved.
bool solves_depth(const ConfigNode* match) {
  if (match == nullptr || !match->is_map()) return false;
  const ConfigNode* solve = match->find("solve");
  return solve != nullptr && solve->is_scalar() && solve->scalar == "depth";
}

// Location for a key the user did not write: the map it belongs in, with the key's path.
SourceLocation missing_key(const ConfigNode& map, const std::string& key) {
  SourceLocation where = map.location;
  where.path = where.path.empty() ? key : where.path + "." + key;
  return where;
}

// Calls `read` on map[key] when present.
template <typename Read>
void with(const ConfigNode* map, const char* key, Read read) {
  if (map == nullptr) return;
  if (const ConfigNode* node = map->find(key)) read(*node);
}

template <typename T>
void assign(std::optional<T> value, T& out) {
  if (value) out = std::move(*value);
}

// parent[key] as a section of settings with its unknown keys reported; nullptr when absent, malformed
// (reported) or an empty section. A null section means "adds nothing" in a file; on the command line
// (`--set train=null`) it would silently do nothing, so it is an error there.
const ConfigNode* section(const ConfigNode* parent, const char* key, const std::vector<std::string>& keys,
                          Layer layer, ValueReader& r) {
  const ConfigNode* node = parent ? parent->find(key) : nullptr;
  if (node == nullptr) return nullptr;
  if (node->is_null() && layer == Layer::command_line) {
    r.error(node->location, "expected a map of keys, got null (--set cannot remove a section; set its keys instead)");
    return nullptr;
  }
  if (!r.map(*node)) return nullptr;
  r.check_keys(*node, keys);
  return node->is_map() ? node : nullptr;
}

// ---- Reads of single keys: type and range, nothing that depends on another key. check_layer runs them
// on each layer alone, decode_run on the merged settings; both report at the value's own location, so a
// value seen twice gives one message (ErrorList drops exact repeats).

void read_data_keys(const ConfigNode* data, DataSpec& out, ValueReader& r) {
  with(data, "dataset", [&](const ConfigNode& n) { assign(r.choice(n, dataset_names()), out.dataset); });
  with(data, "root", [&](const ConfigNode& n) { assign(r.string(n), out.root); });
  with(data, "label_kind", [&](const ConfigNode& n) { assign(r.choice(n, {"fine", "coarse"}), out.label_kind); });
  with(data, "train_subset", [&](const ConfigNode& n) { assign(r.integer(n, 0), out.train_subset); });
  with(data, "val_size", [&](const ConfigNode& n) { assign(r.integer(n, 0), out.val_size); });
  with(data, "crop_padding", [&](const ConfigNode& n) { assign(r.integer(n, 0), out.crop_padding); });
  with(data, "horizontal_flip", [&](const ConfigNode& n) { assign(r.boolean(n), out.horizontal_flip); });
  with(data, "mean", [&](const ConfigNode& n) { assign(r.numbers(n), out.mean); });
  with(data, "std", [&](const ConfigNode& n) {
    if (auto values = r.numbers(n)) {
      for (size_t i = 0; i < values->size(); ++i) {
        if ((*values)[i] <= 0) r.fail(n.items[i], "a standard deviation > 0");
      }
      out.std = *values;
    }
  });
  with(data, "synthetic_train_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.synthetic_train_size); });
  with(data, "synthetic_test_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.synthetic_test_size); });
  with(data, "synthetic_image_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.synthetic_image_size); });
  with(data, "synthetic_channels", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.synthetic_channels); });
  with(data, "synthetic_classes", [&](const ConfigNode& n) { assign(r.integer(n, 2), out.synthetic_classes); });
  with(data, "synthetic_noise", [&](const ConfigNode& n) {
    assign(r.number(n, Bounds{0, true, 1e9, true}), out.synthetic_noise);
  });
  with(data, "classes", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.classes); });
  // 32 px: the smallest input the ImageNet layout (stride 32 in all) reduces to a 1x1 map.
  with(data, "image_size", [&](const ConfigNode& n) { assign(r.integer(n, 32), out.image_size); });
  with(data, "on_bad_image", [&](const ConfigNode& n) { assign(r.choice(n, {"fail", "skip"}), out.on_bad_image); });
  with(data, "workers", [&](const ConfigNode& n) { assign(r.integer(n, 0), out.workers); });
}

void read_train_keys(const ConfigNode* train, const ConfigNode* schedule, TrainSpec& out, ValueReader& r) {
  with(train, "epochs", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.epochs); });
  with(train, "batch_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.batch_size); });
  with(train, "eval_batch_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.eval_batch_size); });
  with(train, "lr", [&](const ConfigNode& n) { assign(r.number(n, Bounds{0, false, 1e6, true}, "a learning rate"), out.lr); });
  with(train, "momentum", [&](const ConfigNode& n) { assign(r.number(n, Bounds{0, true, 1, false}), out.momentum); });
  with(train, "nesterov", [&](const ConfigNode& n) { assign(r.boolean(n), out.nesterov); });
  with(train, "weight_decay", [&](const ConfigNode& n) {
    assign(r.number(n, Bounds{0, true, 1, false}), out.weight_decay);
  });
  with(train, "weight_decay_on_bn_and_bias",
       [&](const ConfigNode& n) { assign(r.boolean(n), out.weight_decay_on_bn_and_bias); });
  with(train, "label_smoothing", [&](const ConfigNode& n) {
    assign(r.number(n, Bounds{0, true, 1, false}), out.label_smoothing);
  });
  with(train, "device", [&](const ConfigNode& n) {
    try {
      if (!n.is_scalar()) throw std::invalid_argument("not a word");
      out.device = parse_device(n.scalar);
    } catch (const std::invalid_argument&) {
      r.fail(n, "auto, cpu, cuda or cuda:N");
    }
  });
  with(train, "precision", [&](const ConfigNode& n) {
    if (auto text = r.choice(n, precision_names())) out.precision = parse_precision(*text);
  });
  with(train, "deterministic", [&](const ConfigNode& n) { assign(r.boolean(n), out.deterministic); });
  with(train, "channels_last", [&](const ConfigNode& n) { assign(r.boolean(n), out.channels_last); });
  with(train, "threads", [&](const ConfigNode& n) { assign(r.integer(n, 0), out.threads); });

  ScheduleSpec& s = out.schedule;
  with(schedule, "kind", [&](const ConfigNode& n) {
    if (auto text = r.choice(n, schedule_kind_names())) s.kind = parse_schedule_kind(*text);
  });
  with(schedule, "milestones", [&](const ConfigNode& n) { assign(r.integers(n, 1), s.milestones); });
  with(schedule, "step_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), s.step_size); });
  with(schedule, "gamma", [&](const ConfigNode& n) { assign(r.number(n, Bounds{0, false, 1, true}), s.gamma); });
  with(schedule, "warmup_epochs", [&](const ConfigNode& n) { assign(r.integer(n, 0), s.warmup_epochs); });
  with(schedule, "min_lr", [&](const ConfigNode& n) { assign(r.number(n, Bounds{0, true, 1e6, true}), s.min_lr); });
}

// The model keys one map gives, read but not yet combined (a preset, a depth and a stem only mean
// something together).
struct ModelKeys {
  std::optional<models::ResNetOptions> preset;
  std::optional<models::Stem> stem;
  std::optional<int64_t> depth;
  std::optional<std::vector<int64_t>> blocks;
  std::optional<int64_t> cardinality, bottleneck_width, base_channels, stem_channels, stem_stride;
  std::optional<double> width_scale;
  std::optional<bool> shortcut, zero_init_last_bn;
  std::optional<int64_t> input_channels, num_classes, image_size;
  std::optional<MatchRequest> match;
  std::optional<std::string> init_from;  // a path, "" = none; hashed by decode_model
};

void read_model_keys(const ConfigNode* model, ModelKeys& out, ValueReader& r) {
  with(model, "preset", [&](const ConfigNode& n) {
    if (auto name = r.string(n)) {
      try {
        out.preset = models::preset(*name).options;
      } catch (const std::invalid_argument& e) {
        r.error(n.location, e.what());
      }
    }
  });
  with(model, "stem", [&](const ConfigNode& n) {
    if (auto stem = r.choice(n, {"imagenet", "cifar"})) out.stem = *stem == "cifar" ? models::Stem::cifar : models::Stem::imagenet;
  });
  // Within one map the two spellings of a shape conflict; across layers the later one wins (the
  // overlay_exclusive_keys rules), so this is decided per map.
  if (model && model->contains("depth") && model->contains("blocks")) {
    r.error(model->find_entry("blocks")->key_location, "give depth or blocks, not both");
  }
  with(model, "depth", [&](const ConfigNode& n) { out.depth = r.integer(n, 1); });
  with(model, "blocks", [&](const ConfigNode& n) {
    if (auto blocks = r.integers(n, 1)) {
      if (blocks->empty() || blocks->size() > 8) {
        r.fail(n, "a list of 1 to 8 stages");
      } else {
        out.blocks = *blocks;
      }
    }
  });
  with(model, "cardinality", [&](const ConfigNode& n) { out.cardinality = r.integer(n, 1); });
  if (model && model->contains("bottleneck_width") && model->contains("match") && !solves_depth(model->find("match"))) {
    r.error(model->find_entry("match")->key_location,
            "give bottleneck_width or match, not both (unless the match solves the depth: solve: depth)");
  }
  with(model, "bottleneck_width", [&](const ConfigNode& n) { out.bottleneck_width = r.integer(n, 1); });
  with(model, "width_scale", [&](const ConfigNode& n) {
    out.width_scale = r.number(n, Bounds{0, false, 64, true}, "a width scale");
  });
  with(model, "base_channels", [&](const ConfigNode& n) { out.base_channels = r.integer(n, 1); });
  with(model, "stem_channels", [&](const ConfigNode& n) { out.stem_channels = r.integer(n, 1); });
  with(model, "stem_stride", [&](const ConfigNode& n) { out.stem_stride = r.integer(n, 1); });
  with(model, "shortcut", [&](const ConfigNode& n) { out.shortcut = r.boolean(n); });
  with(model, "zero_init_last_bn", [&](const ConfigNode& n) { out.zero_init_last_bn = r.boolean(n); });
  with(model, "input_channels", [&](const ConfigNode& n) { out.input_channels = r.integer(n, 1); });
  with(model, "num_classes", [&](const ConfigNode& n) { out.num_classes = r.integer(n, 1); });
  with(model, "image_size", [&](const ConfigNode& n) { out.image_size = r.integer(n, 1); });
  with(model, "init_from", [&](const ConfigNode& n) { out.init_from = r.string(n, /*allow_empty=*/true); });

  with(model, "match", [&](const ConfigNode& n) {
    // Unlike a section, an empty match is never meaningful: it must name a reference.
    if (!r.map(n, false)) return;
    r.check_keys(n, kMatchKeys);
    MatchRequest m;
    if (const ConfigNode* ref = n.find("reference")) {
      if (auto name = r.string(*ref)) m.reference = *name;
      m.reference_location = ref->location;
    } else {
      r.error(missing_key(n, "reference"), "match needs a reference (a variant of this experiment or a preset)");
    }
    with(&n, "by", [&](const ConfigNode& b) {
      if (auto by = r.choice(b, {"params", "macs"})) m.by = models::parse_match_by(*by);
    });
    with(&n, "scope", [&](const ConfigNode& s) {
      if (auto scope = r.choice(s, {"network", "block"})) m.scope = models::parse_match_scope(*scope);
    });
    with(&n, "solve", [&](const ConfigNode& s) {
      if (auto solve = r.choice(s, {"width", "depth"})) m.solve = models::parse_solve_for(*solve);
    });
    if (m.solve == models::SolveFor::depth && m.scope == models::MatchScope::block) {
      r.error(n.find("scope")->location, "solve: depth needs scope network (one first-stage block does not change "
                                         "with depth)");
    }
    out.match = m;
  });
}

// ---- Decoding of the merged settings: the reads above, then the rules between keys.

struct DataResult {
  bool ok = true;
  DatasetFacts facts;
};

DataResult decode_data(const ConfigNode* data, const ConfigNode& root, DataSpec& out, ValueReader& r) {
  DataResult result;
  const size_t failures_before = r.failures();
  read_data_keys(data, out, r);
  if (r.failures() != failures_before) {
    result.ok = false;
    return result;
  }

  const ConfigNode& anchor = data ? *data : root;
  const ConfigNode::Entry* dataset_entry = data ? data->find_entry("dataset") : nullptr;
  const SourceLocation dataset_where = dataset_entry ? dataset_entry->key_location : missing_key(anchor, "dataset");
  if (out.dataset == "synthetic") {
    const std::pair<const char*, int64_t> required[] = {
        {"synthetic_train_size", out.synthetic_train_size}, {"synthetic_test_size", out.synthetic_test_size},
        {"synthetic_image_size", out.synthetic_image_size}, {"synthetic_channels", out.synthetic_channels},
        {"synthetic_classes", out.synthetic_classes}};
    for (const auto& [key, value] : required) {
      if (value == 0) {
        r.error(dataset_where, fmt::format("dataset synthetic needs data.{} (a positive integer)", key));
        result.ok = false;
      }
    }
    if (!result.ok) return result;
  } else {
    // Retargeting a synthetic experiment with --set data.dataset=... leaves these behind; they mean
    // nothing for a real dataset, so they are cleared rather than hashed.
    out.synthetic_train_size = out.synthetic_test_size = out.synthetic_image_size = 0;
    out.synthetic_channels = out.synthetic_classes = 0;
    out.synthetic_noise = 0;
  }
  if (out.dataset == "imagenet") {
    with(data, "crop_padding", [&](const ConfigNode& n) {
      if (out.crop_padding > 0) {
        r.fail(n, "0 for imagenet (its training crop is RandomResizedCrop; crop_padding pads the small in-memory "
                  "datasets)");
        result.ok = false;
      }
    });
    if (out.image_size == 0) out.image_size = find_dataset("imagenet")->image_size;
  } else {
    // As the synthetic_* keys above: settings of the streamed ImageFolder pipeline mean nothing here.
    out.classes = out.image_size = 0;
    out.on_bad_image = "fail";
  }
  if (!result.ok) return result;
  if (out.label_kind == "coarse" && out.dataset != "cifar100") {
    with(data, "label_kind", [&](const ConfigNode& n) {
      r.error(n.location, fmt::format("coarse labels exist only for cifar100, not {}", out.dataset));
    });
    result.ok = false;
    return result;
  }
  out.root = resolve_root(out.dataset, out.root);
  try {
    result.facts = facts_for(out);
  } catch (const std::invalid_argument& e) {  // an ImageFolder tree without classes, or fewer than data.classes
    // The message starts with the key at fault; the location names it already.
    std::string message = e.what();
    const std::string key = message.substr(0, message.find(':'));
    const ConfigNode::Entry* entry = data && key.rfind("data.", 0) == 0 ? data->find_entry(key.substr(5)) : nullptr;
    if (entry) message.erase(0, key.size() + 2);
    r.error(entry ? entry->key_location : dataset_where, message);
    result.ok = false;
    return result;
  }

  with(data, "train_subset", [&](const ConfigNode& n) {
    if (out.train_subset > result.facts.train_size) {
      r.fail(n, fmt::format("an integer in [0, {}] (the train split of {})", result.facts.train_size, out.dataset));
      result.ok = false;
    }
  });
  const int64_t train_images = out.train_subset > 0 ? out.train_subset : result.facts.train_size;
  with(data, "val_size", [&](const ConfigNode& n) {
    if (out.val_size >= train_images) {
      r.fail(n, fmt::format("an integer in [0, {}) (fewer than the {} training images)", train_images, train_images));
      result.ok = false;
    }
  });
  for (const char* key : {"mean", "std"}) {
    with(data, key, [&](const ConfigNode& n) {
      if (!n.items.empty() && static_cast<int64_t>(n.items.size()) != result.facts.channels) {
        r.fail(n, fmt::format("one value per channel ({} for {})", result.facts.channels, out.dataset));
        result.ok = false;
      }
    });
  }
  return result;
}

bool decode_train(const ConfigNode* train, TrainSpec& out, ValueReader& r) {
  const size_t failures_before = r.failures();
  const ConfigNode* schedule = section(train, "schedule", schedule_keys(), Layer::file, r);
  read_train_keys(train, schedule, out, r);
  // A bad value is its own error; the rules below would only restate it against a default (a bad epochs
  // is not also "milestone 30 is not below train.epochs (1)").
  if (r.failures() != failures_before) return false;

  // Cross-field rules. A key that the chosen schedule kind ignores is an error, not silently dropped:
  // the run key must change exactly when training would.
  bool ok = true;
  const ScheduleSpec& s = out.schedule;
  const auto only_for = [&](const char* key, ScheduleKind kind) {
    with(schedule, key, [&](const ConfigNode&) {
      if (s.kind != kind) {
        const auto* entry = schedule->find_entry(key);
        r.error(entry->key_location,
                fmt::format("only used by schedule kind {}, but kind is {}", to_string(kind), to_string(s.kind)));
        ok = false;
      }
    });
  };
  only_for("milestones", ScheduleKind::multistep);
  only_for("step_size", ScheduleKind::step);
  only_for("min_lr", ScheduleKind::cosine);
  with(schedule, "gamma", [&](const ConfigNode&) {
    if (s.kind == ScheduleKind::cosine) {
      r.error(schedule->find_entry("gamma")->key_location, "not used by schedule kind cosine (it decays to min_lr)");
      ok = false;
    }
  });
  if (s.kind == ScheduleKind::step && s.step_size == 0) {
    const ConfigNode* kind = schedule ? schedule->find("kind") : nullptr;
    r.error(kind ? kind->location : SourceLocation{}, "schedule kind step needs step_size (a positive integer)");
    ok = false;
  }
  with(schedule, "milestones", [&](const ConfigNode& n) {
    for (size_t i = 0; i < s.milestones.size(); ++i) {
      if (i > 0 && s.milestones[i] <= s.milestones[i - 1]) {
        r.fail(n.items[i], fmt::format("milestones in increasing order (after {})", s.milestones[i - 1]));
        ok = false;
      } else if (s.milestones[i] >= out.epochs) {
        r.fail(n.items[i], fmt::format("a milestone in [1, {}) (below train.epochs)", out.epochs));
        ok = false;
      }
    }
  });
  with(schedule, "warmup_epochs", [&](const ConfigNode& n) {
    if (s.warmup_epochs >= out.epochs) {
      r.fail(n, fmt::format("warm-up epochs in [0, {}) (fewer than train.epochs)", out.epochs));
      ok = false;
    }
  });
  with(schedule, "min_lr", [&](const ConfigNode& n) {
    if (s.min_lr >= out.lr) {
      r.fail(n, fmt::format("a floor in [0, {}) (below train.lr)", format_bound(out.lr)));
      ok = false;
    }
  });
  if (out.precision == Precision::bf16 && out.device.kind == DeviceKind::cpu) {
    // Known now whatever machine reads the file; with device auto or cuda the trainer checks the GPU.
    with(train, "precision", [&](const ConfigNode& n) {
      r.error(n.location, "bf16 needs a CUDA GPU with bf16 support, but train.device is cpu; use fp32 (a different "
                          "run) or a GPU device");
    });
    ok = false;
  }
  return ok;
}

bool decode_model(const ConfigNode* model, const ConfigNode& root, const DataResult& data, DecodedRun& out,
                  ValueReader& r) {
  out.model_location = model ? model->location : missing_key(root, "model");
  const size_t failures_before = r.failures();
  ModelKeys k;
  read_model_keys(model, k, r);
  if (r.failures() != failures_before) return false;

  models::ResNetOptions& o = out.model.options;
  if (k.preset) o = *k.preset;
  if (k.stem) o.stem(*k.stem);
  // Without a preset, the default shape follows the stem: ResNet-50's stages or ResNeXt-29's.
  if (!k.preset) {
    o.blocks(o.stem() == models::Stem::cifar ? std::vector<int64_t>{3, 3, 3} : std::vector<int64_t>{3, 4, 6, 3});
  }
  if (k.depth) {
    try {
      o.blocks(models::blocks_for_depth(*k.depth, o.stem()));
    } catch (const std::invalid_argument& e) {
      r.error(model->find("depth")->location, e.what());
      return false;
    }
  }
  if (k.blocks) o.blocks(*k.blocks);
  if (k.cardinality) o.cardinality(*k.cardinality);
  if (k.bottleneck_width) o.bottleneck_width(*k.bottleneck_width);
  // One profile can shrink every variant's given width with its base channels (1x64d -> 1x16d at base 16)
  // while matched widths still come from the solver.
  if (k.width_scale) {
    o.bottleneck_width(std::max<int64_t>(1, std::llround(static_cast<double>(o.bottleneck_width()) * *k.width_scale)));
  }
  if (k.base_channels) o.base_channels(*k.base_channels);
  if (k.stem_channels) o.stem_channels(*k.stem_channels);
  if (k.stem_stride) o.stem_stride(*k.stem_stride);
  if (k.shortcut) o.shortcut(*k.shortcut);
  if (k.zero_init_last_bn) o.zero_init_last_bn(*k.zero_init_last_bn);
  out.match = k.match;
  // The file is hashed here, once on the merged settings, so a missing or unreadable one is a located error
  // before anything trains. An empty string clears a lower layer's init_from.
  if (k.init_from) {
    if (k.init_from->empty()) {
      out.model.init_from = WeightsSource{};
    } else {
      try {
        out.model.init_from = weights_source(*k.init_from);
      } catch (const std::runtime_error& e) {
        r.error(model->find("init_from")->location, e.what());
        return false;
      }
    }
  }
  if (!data.ok) return false;

  // The network's ends follow the data unless the file pins them; a pinned value must be the data's.
  // This is the one place the model is checked against the dataset (the data layer's own check can then
  // only fail if the files changed since), so `ablate show` and `ablate run` say the same thing.
  const DatasetFacts& facts = data.facts;
  bool ok = true;
  if (k.input_channels && *k.input_channels != facts.channels) {
    r.fail(*model->find("input_channels"),
           fmt::format("{} (the channels of {}; or leave input_channels out)", facts.channels, facts.name));
    ok = false;
  }
  if (k.num_classes && *k.num_classes != facts.classes) {
    r.fail(*model->find("num_classes"),
           fmt::format("{} (the classes of {}; or leave num_classes out)", facts.classes, facts.name));
    ok = false;
  }
  if (k.image_size && *k.image_size != facts.image_size) {
    r.fail(*model->find("image_size"), fmt::format("{} (the image size of {}, which is not resized; or leave "
                                                   "image_size out)",
                                                   facts.image_size, facts.name));
    ok = false;
  }
  o.input_channels(k.input_channels.value_or(facts.channels));
  o.num_classes(k.num_classes.value_or(facts.classes));
  out.model.image_size = k.image_size.value_or(facts.image_size);
  return ok;
}

}  // namespace

DecodedRun decode_run(const ConfigNode& merged, ErrorList& errors) {
  ValueReader r(errors);
  DecodedRun out;
  // Null sections of the command line were refused by check_layer before merging; here a null is an
  // empty file section.
  const ConfigNode* model = section(&merged, "model", model_keys(), Layer::file, r);
  const ConfigNode* data = section(&merged, "data", data_keys(), Layer::file, r);
  const ConfigNode* train = section(&merged, "train", train_keys(), Layer::file, r);
  const DataResult data_result = decode_data(data, merged, out.data, r);
  const bool train_ok = decode_train(train, out.train, r);
  const bool model_ok = decode_model(model, merged, data_result, out, r);
  out.ok = data_result.ok && train_ok && model_ok && r.failures() == 0;
  return out;
}

void check_layer(const ConfigNode& settings, Layer layer, ErrorList& errors) {
  ValueReader r(errors);
  const ConfigNode* model = section(&settings, "model", model_keys(), layer, r);
  const ConfigNode* data = section(&settings, "data", data_keys(), layer, r);
  const ConfigNode* train = section(&settings, "train", train_keys(), layer, r);
  const ConfigNode* schedule = section(train, "schedule", schedule_keys(), layer, r);
  ModelKeys model_values;
  read_model_keys(model, model_values, r);
  DataSpec data_values;
  read_data_keys(data, data_values, r);
  TrainSpec train_values;
  read_train_keys(train, schedule, train_values, r);
}

}  // namespace ablate::config
