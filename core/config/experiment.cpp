#include "core/config/experiment.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <utility>

#include "core/config/expand.h"
#include "core/config/run_decoder.h"
#include "core/config/value_reader.h"

#ifndef ABLATE_SOURCE_DIR
#define ABLATE_SOURCE_DIR "."
#endif

namespace fs = std::filesystem;

namespace ablate::config {

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = {"top1_err", "top5_err"};
  return names;
}

const VariantSpec* Experiment::find_variant(const std::string& wanted) const {
  for (const auto& v : variants) {
    if (v.name == wanted) return &v;
  }
  return nullptr;
}

const ProfileSpec* Experiment::find_profile(const std::string& wanted) const {
  for (const auto& p : profiles) {
    if (p.name == wanted) return &p;
  }
  return nullptr;
}

std::vector<std::string> Experiment::variant_names() const {
  std::vector<std::string> names;
  for (const auto& v : variants) names.push_back(v.name);
  return names;
}

std::vector<std::string> Experiment::profile_names() const {
  std::vector<std::string> names;
  for (const auto& p : profiles) names.push_back(p.name);
  return names;
}

namespace {

const std::vector<std::string> kTopKeys = {"name",     "title",    "description", "extends", "base",  "seeds",
                                           "variants", "profiles", "table",       "plot",    "claims"};
const std::vector<std::string> kSettingsKeys = {"model", "data", "train"};
const std::vector<std::string> kVariantKeys = {"name", "description", "model", "data", "train", "paper", "labels"};
const std::vector<std::string> kProfileKeys = {"description", "base", "seeds", "variants"};
const std::vector<std::string> kTableKeys = {"group_by", "row", "metrics", "layout", "reference"};
const std::vector<std::string> kPlotKeys = {"series", "x", "metric", "lines"};
// Keys that describe one file and are never inherited through `extends`.
const std::vector<std::string> kOwnKeys = {"name", "title", "description", "extends"};

SourceLocation child_location(const ConfigNode& map, const std::string& key) {
  SourceLocation where = map.location;
  where.path = where.path.empty() ? key : where.path + "." + key;
  return where;
}

// Every layer of settings one file writes (base, each profile's base, each variant), checked on its own
// before anything is merged over it, so a bad value is reported at its line even when a later layer (or
// the file that extends this one) overrides it.
void check_file_layers(const ConfigNode& doc, ErrorList& errors) {
  if (const ConfigNode* base = doc.find("base"); base && base->is_map()) check_layer(*base, Layer::file, errors);
  if (const ConfigNode* profiles = doc.find("profiles"); profiles && profiles->is_map()) {
    for (const auto& p : profiles->entries) {
      const ConfigNode* base = p.value.find("base");
      if (base && base->is_map()) check_layer(*base, Layer::file, errors);
    }
  }
  if (const ConfigNode* variants = doc.find("variants"); variants && variants->is_sequence()) {
    for (const auto& v : variants->items) {
      if (v.is_map()) check_layer(v, Layer::file, errors);
    }
  }
}

// Parses `path` and, recursively, what it extends; returns the document with the parents merged under it.
ConfigNode load_document(const std::string& path, std::vector<std::string>& chain, std::vector<std::string>& extends,
                         ErrorList& errors) {
  ConfigNode doc;
  try {
    doc = parse_yaml_file(path);
  } catch (const ConfigError& e) {
    errors.append(e);
    return doc;
  }
  if (!doc.is_map()) {
    errors.add(SourceLocation{path, doc.location.line, doc.location.column, ""},
               fmt::format("expected a map of experiment keys (name, base, variants, ...), got {}",
                           doc.is_null() ? "an empty file" : doc.describe()));
    return ConfigNode{};
  }
  check_file_layers(doc, errors);
  const ConfigNode* extends_node = doc.find("extends");
  if (extends_node == nullptr) return doc;
  ValueReader r(errors);
  const auto target = r.string(*extends_node);
  if (!target) return doc;
  const fs::path parent_path = (fs::path(path).parent_path() / *target).lexically_normal();
  std::error_code ec;
  const std::string identity = fs::weakly_canonical(parent_path, ec).string();
  if (std::find(chain.begin(), chain.end(), identity) != chain.end()) {
    std::string cycle;
    for (const auto& c : chain) cycle += fs::path(c).filename().string() + " -> ";
    errors.add(extends_node->location, fmt::format("extends forms a cycle: {}{}", cycle, parent_path.filename().string()));
    return doc;
  }
  if (!fs::is_regular_file(parent_path, ec)) {
    errors.add(extends_node->location,
               fmt::format("cannot read \"{}\" (looked for {}; the path is relative to this file)", *target,
                           parent_path.string()));
    return doc;
  }
  extends.push_back(parent_path.string());
  chain.push_back(identity);
  ConfigNode parent = load_document(parent_path.string(), chain, extends, errors);
  chain.pop_back();
  if (!parent.is_map()) return doc;
  for (const auto& key : kOwnKeys) parent.erase(key);
  // Claims and the table's reference name variants: with variants of its own, a file keeps only its own.
  if (doc.contains("variants")) {
    parent.erase("claims");
    if (ConfigNode* table = parent.find("table"); table != nullptr && table->is_map()) table->erase("reference");
  }
  // Lists replace: a child's variants replace the parent's; without any it inherits them.
  return merge(parent, doc, overlay_exclusive_keys(), overlay_exclusive_maps());
}

void decode_settings_map(const ConfigNode& node, ValueReader& r) {
  if (r.map(node)) r.check_keys(node, kSettingsKeys);
}

// Bad seeds are reported and replaced by `fallback`, so the rest of the file is still checked.
std::vector<int64_t> decode_seeds(const ConfigNode& node, ValueReader& r, std::vector<int64_t> fallback) {
  auto seeds = r.integers(node, 0);
  if (!seeds) return fallback;
  std::set<int64_t> seen;
  for (size_t i = 0; i < seeds->size(); ++i) {
    if (!seen.insert((*seeds)[i]).second) {
      r.error(node.items[i].location, fmt::format("seed {} is listed twice", (*seeds)[i]));
      return fallback;
    }
  }
  if (seeds->empty()) {
    r.fail(node, "at least one seed");
    return fallback;
  }
  return *seeds;
}

void decode_variants(const ConfigNode& node, Experiment& e, ValueReader& r) {
  if (!node.is_sequence() || node.items.empty()) {
    r.fail(node, "a non-empty list of variants");
    return;
  }
  std::map<std::string, int> first_line;
  for (const auto& item : node.items) {
    if (!r.map(item, false)) continue;
    r.check_keys(item, kVariantKeys);
    VariantSpec v;
    v.location = item.location;
    if (const ConfigNode* name = item.find("name")) {
      if (auto n = r.string(*name)) v.name = *n;
    } else {
      r.error(child_location(item, "name"), "every variant needs a name");
    }
    if (!v.name.empty()) {
      if (auto it = first_line.find(v.name); it != first_line.end()) {
        r.error(item.find("name")->location, fmt::format("variant name \"{}\" is already used (line {})", v.name, it->second));
        continue;
      }
      first_line[v.name] = item.find("name")->location.line;
    }
    if (const ConfigNode* d = item.find("description")) {
      if (auto text = r.string(*d, true)) v.description = *text;
    }
    v.overrides = make_map(item.location);
    for (const auto& e_ : item.entries) {
      if (std::find(kSettingsKeys.begin(), kSettingsKeys.end(), e_.key) != kSettingsKeys.end()) {
        v.overrides.entries.push_back(e_);
      }
    }
    if (const ConfigNode* paper = item.find("paper"); paper && r.map(*paper)) {
      r.check_keys(*paper, metric_names());
      for (const auto& p : paper->entries) {
        if (std::find(metric_names().begin(), metric_names().end(), p.key) == metric_names().end()) continue;
        if (auto value = r.number(p.value, Bounds{0, true, 100, true}, "a percentage")) v.paper[p.key] = *value;
      }
    }
    if (const ConfigNode* labels = item.find("labels"); labels && r.map(*labels)) {
      for (const auto& l : labels->entries) {
        if (auto value = r.string(l.value)) v.labels[l.key] = *value;
      }
    }
    if (!v.name.empty()) e.variants.push_back(std::move(v));
  }
}

void decode_profiles(const ConfigNode& node, Experiment& e, ValueReader& r) {
  if (!r.map(node)) return;
  static const std::regex name_re(R"([A-Za-z0-9][A-Za-z0-9_.-]*)");
  for (const auto& entry : node.entries) {
    if (!std::regex_match(entry.key, name_re)) {
      r.error(entry.key_location, fmt::format("profile name \"{}\": expected letters, digits, '-', '_' or '.'", entry.key));
      continue;
    }
    const ConfigNode& p = entry.value;
    if (!r.map(p)) continue;
    r.check_keys(p, kProfileKeys);
    ProfileSpec profile;
    profile.name = entry.key;
    profile.location = entry.key_location;
    profile.base = make_map(p.location);
    if (const ConfigNode* d = p.find("description")) {
      if (auto text = r.string(*d, true)) profile.description = *text;
    }
    if (const ConfigNode* base = p.find("base")) {
      decode_settings_map(*base, r);
      if (base->is_map()) profile.base = *base;
    }
    if (const ConfigNode* seeds = p.find("seeds")) profile.seeds = decode_seeds(*seeds, r, {});
    if (const ConfigNode* variants = p.find("variants")) {
      if (auto names = r.strings(*variants)) {
        const auto known = e.variant_names();
        for (size_t i = 0; i < names->size(); ++i) {
          const std::string& n = (*names)[i];
          if (std::find(known.begin(), known.end(), n) == known.end()) {
            r.error(variants->items[i].location,
                    fmt::format("unknown variant \"{}\"{}", n, suggestion_suffix(n, known)));
          } else if (std::find(profile.variants.begin(), profile.variants.end(), n) != profile.variants.end()) {
            r.error(variants->items[i].location, fmt::format("variant \"{}\" is listed twice", n));
          } else {
            profile.variants.push_back(n);
          }
        }
        if (names->empty()) r.fail(*variants, "at least one variant name (or leave the key out for all)");
      }
    }
    e.profiles.push_back(std::move(profile));
  }
}

// A label key that no variant sets is a typo: tables would silently put every row in one group.
void check_label_key(const ConfigNode& node, const std::string& key, const Experiment& e, ValueReader& r) {
  std::vector<std::string> used;
  for (const auto& v : e.variants) {
    for (const auto& [k, value] : v.labels) {
      if (std::find(used.begin(), used.end(), k) == used.end()) used.push_back(k);
    }
  }
  if (std::find(used.begin(), used.end(), key) == used.end()) {
    std::string list;
    for (const auto& k : used) list += (list.empty() ? "" : ", ") + k;
    r.error(node.location, fmt::format("no variant has the label \"{}\"{}; labels used: {}", key,
                                       suggestion_suffix(key, used), list.empty() ? "none" : list));
  }
}

void decode_table(const ConfigNode& node, Experiment& e, ValueReader& r) {
  if (!r.map(node)) return;
  r.check_keys(node, kTableKeys);
  if (const ConfigNode* n = node.find("group_by")) {
    if (auto key = r.string(*n)) {
      e.table.group_by = *key;
      check_label_key(*n, *key, e, r);
    }
  }
  if (const ConfigNode* n = node.find("row")) {
    if (auto key = r.string(*n)) {
      e.table.row = *key;
      check_label_key(*n, *key, e, r);
    }
  }
  if (const ConfigNode* n = node.find("metrics")) {
    if (!n->is_sequence() || n->items.empty()) {
      r.fail(*n, "a non-empty list of metrics (top1_err, top5_err)");
    } else {
      std::vector<std::string> metrics;
      for (const auto& item : n->items) {
        if (auto m = r.choice(item, metric_names())) metrics.push_back(*m);
      }
      e.table.metrics = metrics;
    }
  }
  if (const ConfigNode* n = node.find("layout")) {
    if (auto layout = r.choice(*n, {"plain", "shortcut"})) e.table.layout = *layout;
  }
  if (const ConfigNode* n = node.find("reference")) {
    if (auto name = r.string(*n)) {
      const auto known = e.variant_names();
      if (std::find(known.begin(), known.end(), *name) != known.end()) {
        e.table.reference = *name;
      } else {
        r.error(n->location, fmt::format("unknown variant \"{}\"{}", *name, suggestion_suffix(*name, known)));
      }
    }
  }
}

void decode_plot(const ConfigNode& node, Experiment& e, ValueReader& r) {
  if (!r.map(node)) return;
  r.check_keys(node, kPlotKeys);
  if (const ConfigNode* n = node.find("series")) {
    if (auto key = r.string(*n)) {
      e.plot.series = *key;
      check_label_key(*n, *key, e, r);
    }
  }
  if (const ConfigNode* n = node.find("x")) {
    if (auto x = r.choice(*n, {"params", "macs"})) e.plot.x = *x;
  }
  if (const ConfigNode* n = node.find("metric")) {
    if (auto m = r.choice(*n, metric_names())) e.plot.metric = *m;
  }
  if (const ConfigNode* n = node.find("lines")) {
    if (auto lines = r.choice(*n, {"auto", "true", "false"})) {
      e.plot.lines = *lines == "auto"   ? PlotHints::Lines::automatic
                     : *lines == "true" ? PlotHints::Lines::always
                                        : PlotHints::Lines::never;
    }
  }
}

}  // namespace

Experiment load_experiment(const std::string& path) {
  ErrorList errors;
  ValueReader r(errors);
  Experiment e;
  e.path = path;
  std::error_code ec;
  std::vector<std::string> chain = {fs::weakly_canonical(path, ec).string()};
  const ConfigNode doc = load_document(path, chain, e.extends, errors);
  if (!doc.is_map()) {
    errors.throw_if_any();
    throw ConfigError({fmt::format("{}: not an experiment file", path)});
  }
  r.check_keys(doc, kTopKeys);

  static const std::regex name_re(R"([A-Za-z0-9][A-Za-z0-9_.-]*)");
  if (const ConfigNode* name = doc.find("name")) {
    if (auto n = r.string(*name)) {
      if (std::regex_match(*n, name_re)) {
        e.name = *n;
      } else {
        r.fail(*name, "a name of letters, digits, '-', '_' or '.' (it names runs and files)");
      }
    }
  } else {
    r.error(SourceLocation{path, 1, 1, "name"}, "required key missing: the experiment's name (e.g. name: cardinality)");
  }
  e.title = e.name;
  if (const ConfigNode* title = doc.find("title")) {
    if (auto t = r.string(*title)) e.title = *t;
  }
  if (const ConfigNode* d = doc.find("description")) {
    if (auto text = r.string(*d, true)) e.description = *text;
  }
  e.base = make_map(SourceLocation{path, 1, 1, "base"});
  if (const ConfigNode* base = doc.find("base")) {
    decode_settings_map(*base, r);
    if (base->is_map()) e.base = *base;
  }
  if (const ConfigNode* seeds = doc.find("seeds")) e.seeds = decode_seeds(*seeds, r, e.seeds);
  if (const ConfigNode* variants = doc.find("variants")) {
    decode_variants(*variants, e, r);
  } else {
    r.error(SourceLocation{path, 1, 1, "variants"}, "required key missing: a non-empty list of variants");
  }
  if (const ConfigNode* profiles = doc.find("profiles")) decode_profiles(*profiles, e, r);
  if (const ConfigNode* table = doc.find("table")) decode_table(*table, e, r);
  if (const ConfigNode* plot = doc.find("plot")) decode_plot(*plot, e, r);
  if (const ConfigNode* claims = doc.find("claims")) e.claims = decode_claims(*claims, e.variant_names(), metric_names(), r);

  // Every setting is checked now, for the experiment's own settings and for every profile, so a bad
  // value is reported before any run starts, whichever profile it hides in.
  if (!e.variants.empty() && !e.seeds.empty()) {
    std::vector<std::string> profiles = {""};
    for (const auto& p : e.profiles) profiles.push_back(p.name);
    for (const auto& p : profiles) expand_into(e, p, {}, errors);
  }
  errors.throw_if_any();
  return e;
}

std::string experiments_dir(const std::string& dir) {
  if (!dir.empty()) return dir;
  if (const char* env = std::getenv("ABLATE_EXPERIMENTS"); env && *env) return env;
  std::error_code ec;
  if (fs::is_directory("experiments", ec)) return "experiments";
  return std::string(ABLATE_SOURCE_DIR) + "/experiments";
}

std::vector<std::string> list_experiment_files(const std::string& dir) {
  const std::string root = experiments_dir(dir);
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return files;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string find_experiment(const std::string& name_or_path, const std::string& dir) {
  std::error_code ec;
  const bool looks_like_path = name_or_path.find('/') != std::string::npos ||
                               fs::path(name_or_path).extension() == ".yaml" ||
                               fs::path(name_or_path).extension() == ".yml";
  if (fs::is_regular_file(name_or_path, ec)) return name_or_path;
  if (looks_like_path) throw ConfigError({fmt::format("{}: no such experiment file", name_or_path)});

  const std::string root = experiments_dir(dir);
  for (const char* ext : {".yaml", ".yml"}) {
    const std::string candidate = (fs::path(root) / (name_or_path + ext)).string();
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  std::vector<std::string> names;
  for (const auto& f : list_experiment_files(root)) names.push_back(fs::path(f).stem().string());
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw ConfigError({fmt::format("unknown experiment \"{}\"{}: no {}/{}.yaml; experiments there: {}", name_or_path,
                                 suggestion_suffix(name_or_path, names), root, name_or_path,
                                 list.empty() ? "none" : list)});
}

}  // namespace ablate::config
