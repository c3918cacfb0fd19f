#include "core/config/run_decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <stdexcept>

#include "core/config/dataset_catalog.h"
#include "core/config/image_folder_classes.h"
#include "core/config/value_reader.h"
#include "core/models/presets.h"

namespace ablate::config {

const std::vector<std::string>& model_keys() {
  static const std::vector<std::string> keys = {
      "preset",        "depth",         "blocks",      "cardinality",    "bottleneck_width",
      "match",         "stem",          "base_channels", "stem_channels", "stem_stride",
      "input_channels", "num_classes",  "shortcut",    "zero_init_last_bn", "image_size",
      "width_scale"};
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

const std::vector<std::string> kMatchKeys = {"reference", "by", "scope"};

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

struct DataResult {
  bool ok = true;
  DatasetFacts facts;
};

DataResult decode_data(const ConfigNode* data, const ConfigNode& root, DataSpec& out, ValueReader& r) {
  DataResult result;
  const size_t errors_before = r.errors().size();
  if (data != nullptr && r.map(*data)) r.check_keys(*data, data_keys());
  if (data != nullptr && !data->is_map()) data = nullptr;

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
    assign(r.number(n, 0, true, 1e9, true, "a number >= 0"), out.synthetic_noise);
  });
  with(data, "classes", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.classes); });
  // 32 px: the smallest input the ImageNet layout (stride 32 in all) reduces to a 1x1 map.
  with(data, "image_size", [&](const ConfigNode& n) { assign(r.integer(n, 32), out.image_size); });
  with(data, "on_bad_image", [&](const ConfigNode& n) { assign(r.choice(n, {"fail", "skip"}), out.on_bad_image); });
  with(data, "workers", [&](const ConfigNode& n) { assign(r.integer(n, 0), out.workers); });
  if (r.errors().size() != errors_before) {
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
      r.fail(n, fmt::format("at most {} (the train split of {})", result.facts.train_size, out.dataset));
      result.ok = false;
    }
  });
  const int64_t train_images = out.train_subset > 0 ? out.train_subset : result.facts.train_size;
  with(data, "val_size", [&](const ConfigNode& n) {
    if (out.val_size >= train_images) {
      r.fail(n, fmt::format("fewer than the {} training images", train_images));
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
  const size_t errors_before = r.errors().size();
  if (train != nullptr && r.map(*train)) r.check_keys(*train, train_keys());
  if (train != nullptr && !train->is_map()) train = nullptr;

  with(train, "epochs", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.epochs); });
  with(train, "batch_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.batch_size); });
  with(train, "eval_batch_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), out.eval_batch_size); });
  with(train, "lr", [&](const ConfigNode& n) { assign(r.number(n, 0, false, 1e6, true, "a learning rate > 0"), out.lr); });
  with(train, "momentum", [&](const ConfigNode& n) {
    assign(r.number(n, 0, true, 1, false, "a number in [0, 1)"), out.momentum);
  });
  with(train, "nesterov", [&](const ConfigNode& n) { assign(r.boolean(n), out.nesterov); });
  with(train, "weight_decay", [&](const ConfigNode& n) {
    assign(r.number(n, 0, true, 1, false, "a number in [0, 1)"), out.weight_decay);
  });
  with(train, "weight_decay_on_bn_and_bias",
       [&](const ConfigNode& n) { assign(r.boolean(n), out.weight_decay_on_bn_and_bias); });
  with(train, "label_smoothing", [&](const ConfigNode& n) {
    assign(r.number(n, 0, true, 1, false, "a number in [0, 1)"), out.label_smoothing);
  });
  with(train, "device", [&](const ConfigNode& n) {
    static const std::regex device_re(R"(auto|cpu|cuda|cuda:[0-9]+)");
    if (n.is_scalar() && std::regex_match(n.scalar, device_re)) {
      out.device = n.scalar;
    } else {
      r.fail(n, "auto, cpu, cuda or cuda:N");
    }
  });
  with(train, "precision", [&](const ConfigNode& n) { assign(r.choice(n, {"fp32", "bf16"}), out.precision); });
  with(train, "deterministic", [&](const ConfigNode& n) { assign(r.boolean(n), out.deterministic); });
  with(train, "channels_last", [&](const ConfigNode& n) { assign(r.boolean(n), out.channels_last); });
  with(train, "threads", [&](const ConfigNode& n) { assign(r.integer(n, 0), out.threads); });

  const ConfigNode* schedule = train ? train->find("schedule") : nullptr;
  if (schedule != nullptr && r.map(*schedule)) r.check_keys(*schedule, schedule_keys());
  if (schedule != nullptr && !schedule->is_map()) schedule = nullptr;
  ScheduleSpec& s = out.schedule;
  with(schedule, "kind", [&](const ConfigNode& n) { assign(r.choice(n, {"step", "multistep", "cosine"}), s.kind); });
  with(schedule, "milestones", [&](const ConfigNode& n) { assign(r.integers(n, 1), s.milestones); });
  with(schedule, "step_size", [&](const ConfigNode& n) { assign(r.integer(n, 1), s.step_size); });
  with(schedule, "gamma", [&](const ConfigNode& n) { assign(r.number(n, 0, false, 1, true, "a number in (0, 1]"), s.gamma); });
  with(schedule, "warmup_epochs", [&](const ConfigNode& n) { assign(r.integer(n, 0), s.warmup_epochs); });
  with(schedule, "min_lr", [&](const ConfigNode& n) { assign(r.number(n, 0, true, 1e6, true, "a number >= 0"), s.min_lr); });
  if (r.errors().size() != errors_before) return false;

  // Cross-field rules. A key that the chosen schedule kind ignores is an error, not silently dropped:
  // the run key must change exactly when training would.
  bool ok = true;
  const auto only_for = [&](const char* key, const char* kind) {
    with(schedule, key, [&](const ConfigNode& n) {
      if (s.kind != kind) {
        const auto* entry = schedule->find_entry(key);
        r.error(entry->key_location, fmt::format("only used by schedule kind {}, but kind is {}", kind, s.kind));
        ok = false;
      }
    });
  };
  only_for("milestones", "multistep");
  only_for("step_size", "step");
  only_for("min_lr", "cosine");
  with(schedule, "gamma", [&](const ConfigNode&) {
    if (s.kind == "cosine") {
      r.error(schedule->find_entry("gamma")->key_location, "not used by schedule kind cosine (it decays to min_lr)");
      ok = false;
    }
  });
  if (s.kind == "step" && s.step_size == 0) {
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
        r.fail(n.items[i], fmt::format("a milestone below train.epochs ({})", out.epochs));
        ok = false;
      }
    }
  });
  with(schedule, "warmup_epochs", [&](const ConfigNode& n) {
    if (s.warmup_epochs >= out.epochs) {
      r.fail(n, fmt::format("fewer warm-up epochs than train.epochs ({})", out.epochs));
      ok = false;
    }
  });
  with(schedule, "min_lr", [&](const ConfigNode& n) {
    if (s.min_lr >= out.lr) {
      r.fail(n, fmt::format("a floor below train.lr ({})", out.lr));
      ok = false;
    }
  });
  return ok;
}

bool decode_model(const ConfigNode* model, const ConfigNode& root, const DataResult& data, DecodedRun& out,
                  ValueReader& r) {
  const size_t errors_before = r.errors().size();
  if (model != nullptr && r.map(*model)) r.check_keys(*model, model_keys());
  if (model != nullptr && !model->is_map()) model = nullptr;
  out.model_location = model ? model->location : missing_key(root, "model");

  models::ResNetOptions& o = out.model.options;
  bool shaped_by_preset = false;
  with(model, "preset", [&](const ConfigNode& n) {
    if (auto name = r.string(n)) {
      try {
        const models::Preset p = models::preset(*name);
        o = p.options;
        shaped_by_preset = true;
      } catch (const std::invalid_argument& e) {
        r.error(n.location, e.what());
      }
    }
  });
  with(model, "stem", [&](const ConfigNode& n) {
    if (auto stem = r.choice(n, {"imagenet", "cifar"})) o.stem(*stem == "cifar" ? models::Stem::cifar : models::Stem::imagenet);
  });
  // Without a preset, the default shape follows the stem: ResNet-50's stages or ResNeXt-29's.
  if (!shaped_by_preset) {
    o.blocks(o.stem() == models::Stem::cifar ? std::vector<int64_t>{3, 3, 3} : std::vector<int64_t>{3, 4, 6, 3});
  }
  if (model && model->contains("depth") && model->contains("blocks")) {
    r.error(model->find_entry("blocks")->key_location, "give depth or blocks, not both");
  }
  with(model, "depth", [&](const ConfigNode& n) {
    if (auto depth = r.integer(n, 1)) {
      try {
        o.blocks(models::blocks_for_depth(*depth, o.stem()));
      } catch (const std::invalid_argument& e) {
        r.error(n.location, e.what());
      }
    }
  });
  with(model, "blocks", [&](const ConfigNode& n) {
    if (auto blocks = r.integers(n, 1)) {
      if (blocks->empty() || blocks->size() > 8) {
        r.fail(n, "a list of 1 to 8 stages");
      } else {
        o.blocks(*blocks);
      }
    }
  });
  with(model, "cardinality", [&](const ConfigNode& n) { assign(r.integer(n, 1), o.cardinality()); });
  if (model && model->contains("bottleneck_width") && model->contains("match")) {
    r.error(model->find_entry("match")->key_location, "give bottleneck_width or match, not both");
  }
  with(model, "bottleneck_width", [&](const ConfigNode& n) { assign(r.integer(n, 1), o.bottleneck_width()); });
  // One profile can shrink every variant's given width with its base channels (1x64d -> 1x16d at base 16)
  // while matched widths still come from the solver.
  with(model, "width_scale", [&](const ConfigNode& n) {
    if (auto scale = r.number(n, 0, false, 64, true, "a width scale > 0")) {
      o.bottleneck_width(std::max<int64_t>(1, std::llround(static_cast<double>(o.bottleneck_width()) * *scale)));
    }
  });
  with(model, "base_channels", [&](const ConfigNode& n) { assign(r.integer(n, 1), o.base_channels()); });
  with(model, "stem_channels", [&](const ConfigNode& n) { assign(r.integer(n, 1), o.stem_channels()); });
  with(model, "stem_stride", [&](const ConfigNode& n) { assign(r.integer(n, 1), o.stem_stride()); });
  with(model, "shortcut", [&](const ConfigNode& n) { assign(r.boolean(n), o.shortcut()); });
  with(model, "zero_init_last_bn", [&](const ConfigNode& n) { assign(r.boolean(n), o.zero_init_last_bn()); });

  std::optional<int64_t> input_channels, num_classes, image_size;
  with(model, "input_channels", [&](const ConfigNode& n) { input_channels = r.integer(n, 1); });
  with(model, "num_classes", [&](const ConfigNode& n) { num_classes = r.integer(n, 1); });
  with(model, "image_size", [&](const ConfigNode& n) { image_size = r.integer(n, 1); });

  with(model, "match", [&](const ConfigNode& n) {
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
    out.match = m;
  });
  if (r.errors().size() != errors_before || !data.ok) return false;

  // The network's ends follow the data unless the file pins them; a pinned value must fit the data.
  const DatasetFacts& facts = data.facts;
  bool ok = true;
  if (input_channels && *input_channels != facts.channels) {
    r.fail(*model->find("input_channels"),
           fmt::format("{} (the channels of {}; or leave input_channels out)", facts.channels, facts.name));
    ok = false;
  }
  if (num_classes && *num_classes < facts.classes) {
    r.fail(*model->find("num_classes"),
           fmt::format("at least {} (the classes of {}; or leave num_classes out)", facts.classes, facts.name));
    ok = false;
  }
  if (image_size && *image_size != facts.image_size) {
    r.fail(*model->find("image_size"), fmt::format("{} (the image size of {}, which is not resized; or leave "
                                                   "image_size out)",
                                                   facts.image_size, facts.name));
    ok = false;
  }
  o.input_channels(input_channels.value_or(facts.channels));
  o.num_classes(num_classes.value_or(facts.classes));
  out.model.image_size = image_size.value_or(facts.image_size);
  return ok;
}

}  // namespace

DecodedRun decode_run(const ConfigNode& merged, ErrorList& errors) {
  ValueReader r(errors);
  DecodedRun out;
  const ConfigNode* model = merged.find("model");
  const ConfigNode* data = merged.find("data");
  const ConfigNode* train = merged.find("train");
  const DataResult data_result = decode_data(data, merged, out.data, r);
  const bool train_ok = decode_train(train, out.train, r);
  const bool model_ok = decode_model(model, merged, data_result, out, r);
  out.ok = data_result.ok && train_ok && model_ok;
  return out;
}

}  // namespace ablate::config
