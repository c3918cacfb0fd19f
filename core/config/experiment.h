#pragma once
// Experiment: one YAML file of experiments/ decoded and checked, before expansion into runs.
//
// File shape (every key optional unless marked required):
//   name: cardinality                     # required; part of every run's identity
//   title: "..."                          # for people (tables, plots); default = name
//   description: "..."
//   extends: other.yaml                   # path relative to this file; inherits base, seeds, profiles,
//                                         # table and plot (deep-merged under this file), and variants when
//                                         # this file lists none. Cycles are errors.
//   base: {model: {...}, data: {...}, train: {...}}   # shared by every variant
//   seeds: [0, 1, 2]                      # default [0]; unique, >= 0
//   variants:                             # required, non-empty, unique names
//     - name: "ResNeXt-50 32x4d"          # required
//       model: {...}  data: {...}  train: {...}      # overrides of base
//       paper: {top1_err: 22.2, top5_err: 6.0}       # the paper's values, for tables (not hashed)
//       labels: {group: "ResNeXt-50", setting: 32x4d}  # free-form, for table rows / plot series (not hashed)
//   profiles:                             # named overlays selected with --profile
//     cpu: {description: "...", base: {...}, seeds: [0, 1], variants: ["ResNet-50 1x64d", ...]}
//   table: {group_by: group, row: setting, metrics: [top1_err, top5_err], layout: plain|shortcut,
//           reference: "ResNet-50 1x64d"}   # the row every other row is compared with; default: each
//                                           # group's first row
//   plot:  {series: group, x: params|macs, metric: top1_err,
//           lines: auto|true|false}         # join a series' points in the complexity figure; auto: only
//                                           # a series that grows in complexity (not Table 4's budgets)
//   claims: [...]                         # the findings the experiment tests: see claim_spec.h
// Run settings (model/data/train keys) are documented in expand.h. Merge order for a run: extended file,
// base, profile base, variant, --set (maps merge key by key, lists and scalars replace). A file that lists
// its own variants does not inherit `claims` or `table.reference`: they name the parent's variants.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/config/claim_spec.h"
#include "core/config/config_error.h"
#include "core/config/config_node.h"

namespace ablate::config {

// Metric names a table, a plot or a `paper:` block may name.
const std::vector<std::string>& metric_names();  // top1_err, top5_err

struct VariantSpec {
  std::string name;
  std::string description;
  ConfigNode overrides;                     // map with optional model/data/train, locations kept
  std::map<std::string, double> paper;      // metric -> the paper's value (percent)
  std::map<std::string, std::string> labels;
  SourceLocation location;                  // of the variant's entry in its file
};

struct ProfileSpec {
  std::string name;
  std::string description;
  ConfigNode base;                 // map with optional model/data/train, merged over the experiment's base
  std::vector<int64_t> seeds;      // empty = the experiment's seeds
  std::vector<std::string> variants;  // empty = every variant; else only these, in experiment order
  SourceLocation location;
};

struct TableHints {
  std::string group_by;  // label key whose value groups rows (e.g. "group": ResNet-50 / ResNeXt-50); "" = none
  std::string row;       // label key naming a row (e.g. "setting"); "" = the variant name
  std::vector<std::string> metrics = {"top1_err"};
  // plain: one row per variant. shortcut: variants sharing a row label become one row with
  // "with shortcut" / "without" columns, told apart by model.shortcut (paper Sec. 5.1).
  std::string layout = "plain";
  std::string reference;  // a variant name: every row is compared with it; "" = each group's first row
};

struct PlotHints {
  std::string series;        // label key: one line/colour per value (e.g. "group"); "" = one per variant
  std::string x = "params";  // params | macs: the complexity axis of error-vs-complexity plots
  std::string metric = "top1_err";
  // Whether the complexity figure joins a series' points with lines.
  enum class Lines { automatic, always, never };
  Lines lines = Lines::automatic;
};

struct Experiment {
  std::string path;         // the file, as given to load_experiment
  std::vector<std::string> extends;  // files it inherits from, nearest first
  std::string name;
  std::string title;
  std::string description;
  ConfigNode base;          // map with optional model/data/train
  std::vector<int64_t> seeds = {0};
  std::vector<VariantSpec> variants;
  std::vector<ProfileSpec> profiles;  // in file order (inherited ones first)
  TableHints table;
  PlotHints plot;
  std::vector<ClaimSpec> claims;      // in file order

  const VariantSpec* find_variant(const std::string& name) const;  // nullptr when absent
  const ProfileSpec* find_profile(const std::string& name) const;  // nullptr when absent
  std::vector<std::string> variant_names() const;
  std::vector<std::string> profile_names() const;
};

// Reads, decodes and checks a file completely: structure, every key and value of the base and of every
// profile expanded against every variant (so a bad value anywhere is found now, not mid-run).
// Throws ConfigError listing every problem, one "file:line:column: path: message" per line.
Experiment load_experiment(const std::string& path);

// The directory experiment names are looked up in: `dir` when non-empty, else $ABLATE_EXPERIMENTS, else
// ./experiments when it exists, else the source tree's experiments/ (compiled in).
std::string experiments_dir(const std::string& dir = "");

// NAME is a path to an existing file (anything containing '/' or ending in .yaml/.yml is taken as one),
// else the name of DIR/NAME.yaml with DIR = experiments_dir(dir). Throws ConfigError naming what was
// tried and, for a name, the experiments that exist (with a did-you-mean).
std::string find_experiment(const std::string& name_or_path, const std::string& dir = "");

// The *.yaml/*.yml files of experiments_dir(dir), sorted by name. Empty when the directory is missing.
std::vector<std::string> list_experiment_files(const std::string& dir = "");

}  // namespace ablate::config
