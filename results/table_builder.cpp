#include "results/table_builder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "core/config/expand.h"
#include "core/config/run_spec_json.h"
#include "core/config/weights_source.h"
#include "core/models/complexity.h"
#include "core/models/presets.h"
#include "results/table_format.h"
#include "results/table_statistics.h"

namespace ablate::results {

std::string store_metric(const std::string& metric) {
  if (metric.rfind("val_", 0) == 0 || metric.rfind("train_", 0) == 0) return metric;
  return "val_" + metric;
}

std::string metric_caption(const std::string& metric) {
  std::string base = metric.rfind("val_", 0) == 0 ? metric.substr(4) : metric;
  if (base == "top1_err") return "top-1 err (%)";
  if (base == "top5_err") return "top-5 err (%)";
  return metric;
}

std::string table_title(const config::Experiment& experiment, const std::string& profile) {
  const std::string title = experiment.title.empty() ? experiment.name : experiment.title;
  return profile.empty() ? title : fmt::format("{} (profile {})", title, profile);
}

std::vector<std::string> table_metrics(const config::Experiment& experiment, const ResultsTableOptions& options) {
  if (!options.metrics.empty()) return options.metrics;
  if (!experiment.table.metrics.empty()) return experiment.table.metrics;
  return {"top1_err"};
}

namespace {

// The paper key of a metric: val_top1_err and top1_err both look up `paper: {top1_err: ...}`.
std::string paper_key(const std::string& metric) {
  return metric.rfind("val_", 0) == 0 ? metric.substr(4) : metric;
}

// Variants in file order, each with the runs (seeds) the experiment plans for it.
std::vector<std::vector<const config::RunSpec*>> by_variant(const std::vector<config::RunSpec>& runs) {
  std::vector<std::vector<const config::RunSpec*>> variants;
  std::map<std::string, std::size_t> index;
  for (const config::RunSpec& run : runs) {
    const auto [it, inserted] = index.emplace(run.variant, variants.size());
    if (inserted) variants.emplace_back();
    variants[it->second].push_back(&run);
  }
  return variants;
}

std::string label_or_variant(const config::RunSpec& run, const std::string& key) {
  const auto label = key.empty() ? run.labels.end() : run.labels.find(key);
  return label == run.labels.end() ? run.variant : label->second;
}

// A stored evaluation-only run (`ablate eval`) and the run key of the planned setting it evaluated.
struct Evaluation {
  const RunInfo* info;
  std::string setting_key;
  std::string weights;  // file name of the evaluated weights
  int64_t seed = 0;     // the seed of the evaluated setting's run
};

std::vector<Evaluation> evaluations_of(const std::vector<RunInfo>& runs) {
  std::vector<Evaluation> out;
  for (const RunInfo& info : runs) {
    if (!info.record.evaluation_only) continue;
    try {
      const config::RunSpec spec = config::run_spec_from_json(nlohmann::json::parse(info.record.config_json));
      out.push_back({&info, config::evaluated_setting(spec).run_key,
                     std::filesystem::path(spec.evaluated_weights.path).filename().string(), spec.seed});
    } catch (const std::exception&) {
      // A config this build cannot read (a newer ablate's): the run cannot be placed in a row.
    }
  }
  return out;
}

// The row of an evaluation-only run, right below the setting it evaluated: that setting's model, paper
// values and size, the evaluation's value.
SettingResult evaluation_row(const SettingResult& setting, const Evaluation& evaluation, const Store& store,
                             const std::vector<std::string>& metrics, EpochPick epoch) {
  SettingResult s = setting;
  const std::string suffix = ", evaluated: " + evaluation.weights;
  s.variant += suffix;
  s.row += suffix;
  s.evaluation_only = true;
  if (!evaluation.info->record.eval_split.empty()) s.eval_split = evaluation.info->record.eval_split;
  s.values.clear();
  s.seeds.clear();
  s.progress = Progress{};
  s.progress.seeds_total = 1;
  s.progress.epochs = 1;
  switch (evaluation.info->status) {
    case RunStatus::Finished: s.progress.seeds_finished = 1; break;
    case RunStatus::Failed: s.progress.seeds_failed = 1; break;
    default: break;
  }
  for (const std::string& metric : metrics) {
    std::vector<double>& values = s.values[metric];
    std::vector<int64_t>& seeds = s.seeds[metric];
    if (s.progress.seeds_finished == 0) continue;
    const auto value = pick_value(store.curve(evaluation.info->record.run_key, store_metric(metric)), metric, epoch);
    if (!value) continue;
    values.push_back(*value);
    seeds.push_back(evaluation.seed);
  }
  return s;
}

}  // namespace

std::vector<SettingResult> collect_settings(const config::Experiment& experiment,
                                            const std::vector<config::RunSpec>& runs, const Store& store,
                                            const std::string& profile, const std::vector<std::string>& metrics,
                                            EpochPick epoch) {
  (void)profile;
  // Runs are matched by run key, not by the profile they were stored under: a run key is the identity of
  // the resolved config, so a profile that plans the same config (e.g. only seed 0) reuses that run.
  RunQuery query;
  query.experiment = experiment.name;
  const std::vector<RunInfo> all_runs = store.runs(query);
  std::map<std::string, const RunInfo*> stored;
  for (const RunInfo& info : all_runs) stored.emplace(info.record.run_key, &info);
  const std::vector<Evaluation> evaluations = evaluations_of(all_runs);

  std::vector<SettingResult> settings;
  for (const auto& seeds : by_variant(runs)) {
    const config::RunSpec& first = *seeds.front();
    SettingResult s;
    s.variant = first.variant;
    if (!experiment.table.group_by.empty()) {
      const auto label = first.labels.find(experiment.table.group_by);
      s.group = label == first.labels.end() ? "other" : label->second;
    }
    s.setting = models::setting_of(first.model.options);
    s.row = label_or_variant(first, experiment.table.row);
    s.shortcut = first.model.options.shortcut();
    const models::Complexity cost = models::analyze(first.model.options, first.model.image_size);
    s.params = cost.params;
    s.macs = cost.macs;
    for (const std::string& metric : metrics) {
      const auto paper = first.paper.find(paper_key(metric));
      if (paper != first.paper.end()) s.paper[metric] = paper->second;
    }
    s.eval_split = eval_split(first);
    s.progress.seeds_total = static_cast<int64_t>(seeds.size());
    s.progress.epochs = first.train.epochs;
    std::set<int64_t> finished_seeds;
    for (const config::RunSpec* run : seeds) {
      const auto info = stored.find(run->run_key);
      if (info == stored.end()) continue;
      switch (info->second->status) {
        case RunStatus::Finished:
          ++s.progress.seeds_finished;
          finished_seeds.insert(run->seed);
          if (!info->second->adopted_from.empty()) ++s.seeds_adopted;
          if (!info->second->record.eval_split.empty()) s.eval_split = info->second->record.eval_split;
          break;
        case RunStatus::Failed: ++s.progress.seeds_failed; break;
        case RunStatus::Running:
        case RunStatus::Killed:
          s.progress.epoch = std::max(s.progress.epoch, info->second->epochs_done);
          break;
        case RunStatus::Queued: break;
      }
    }
    // Values of the finished planned seeds, by seed, at the final or best epoch.
    for (const std::string& metric : metrics) {
      std::vector<double>& values = s.values[metric];
      std::vector<int64_t>& value_seeds = s.seeds[metric];
      for (const config::RunSpec* run : seeds) {
        if (finished_seeds.count(run->seed) == 0) continue;
        const auto value = pick_value(store.curve(run->run_key, store_metric(metric)), metric, epoch);
        if (!value) continue;
        values.push_back(*value);
        value_seeds.push_back(run->seed);
      }
    }
    settings.push_back(s);
    for (const config::RunSpec* run : seeds) {
      for (const Evaluation& evaluation : evaluations) {
        if (evaluation.setting_key == run->run_key) {
          settings.push_back(evaluation_row(s, evaluation, store, metrics, epoch));
        }
      }
    }
  }
  return settings;
}

namespace {

// Units that keep small CPU-scale nets and ImageNet nets both readable.
struct Unit {
  const char* suffix;
  double scale;
  int decimals;
};

Unit params_unit(int64_t largest) { return largest >= 1000000 ? Unit{"M", 1e6, 2} : Unit{"k", 1e3, 1}; }
Unit macs_unit(int64_t largest) {
  if (largest >= 1000000000) return {"GMACs", 1e9, 3};
  if (largest >= 1000000) return {"MMACs", 1e6, 1};
  return {"kMACs", 1e3, 1};
}

// One unit for the params column and one for the MACs column, chosen by the largest model shown.
struct SizeUnits {
  Unit params, macs;
};

SizeUnits size_units(const std::vector<SettingResult>& settings) {
  int64_t max_params = 0, max_macs = 0;
  for (const SettingResult& s : settings) {
    max_params = std::max(max_params, s.params);
    max_macs = std::max(max_macs, s.macs);
  }
  return {params_unit(max_params), macs_unit(max_macs)};
}

// Every results table starts with these columns: model, setting, params, MACs.
Table table_with_model_columns(const std::string& title, const SizeUnits& units) {
  Table table;
  table.title = title;
  table.columns = {{"model", Align::left, ""},
                   {"setting", Align::left, ""},
                   {fmt::format("params ({})", units.params.suffix), Align::right, ""},
                   {units.macs.suffix, Align::right, ""}};
  return table;
}

// The params and MACs cells of one setting, in the table's units.
std::vector<Cell> size_cells(const SettingResult& s, const SizeUnits& units) {
  return {number_cell(static_cast<double>(s.params) / units.params.scale, units.params.decimals),
          number_cell(static_cast<double>(s.macs) / units.macs.scale, units.macs.decimals)};
}

}  // namespace

namespace {

// The reproduced cell of a setting and its mean (NaN when there is no number to show).
Cell reproduced_cell(const SettingResult& s, const std::string& metric, const ResultsTableOptions& options,
                     double& mean) {
  mean = std::nan("");
  if (!s.complete()) return progress_cell(format_progress(s.progress));
  const auto found = s.values.find(metric);
  if (found == s.values.end() || found->second.empty()) return text_cell("not logged");
  const Summary summary = summarize(found->second);
  mean = summary.mean;
  return estimate_cell(summary.mean, summary.spread(options.stat), summary.n, options.decimals);
}

// Says what an "evaluated:" row is, when the table has one.
void add_evaluation_note(Table& table, const std::vector<SettingResult>& settings) {
  for (const SettingResult& s : settings) {
    if (!s.evaluation_only) continue;
    table.notes.push_back("\"evaluated: FILE\" rows: evaluation-only runs (ablate eval), the weights in FILE evaluated "
                          "once with the setting above them, not trained here; one value, not a sample over seeds, "
                          "so they take no part in the comparisons.");
    return;
  }
}

std::string stat_words(Stat stat) {
  return stat == Stat::std ? "std" : stat == Stat::sem ? "standard error" : "95% CI (Student t)";
}

// The split the numbers were measured on: the official test split, a validation split, or both.
std::string split_words(const std::vector<SettingResult>& settings) {
  bool test = false, val = false;
  for (const SettingResult& s : settings) (s.eval_split == "val" ? val : test) = true;
  if (test && val) return "test split for the settings with data.val_size = 0, validation split for the others";
  if (val) return "validation split (data.val_size)";
  return "official test split (data.val_size = 0: no validation split)";
}

// "adopted" when every finished seed of the setting was adopted, "1/3 adopted" when some were, else "".
std::string adopted_words(const SettingResult& s) {
  if (s.seeds_adopted == 0) return "";
  if (s.seeds_adopted == s.progress.seeds_finished) return "adopted";
  return fmt::format("{}/{} adopted", s.seeds_adopted, s.progress.seeds_finished);
}

// " (adopted)" / " (1/3 adopted)" after a row's variant, or "".
std::string adopted_marker(const SettingResult& s) {
  const std::string words = adopted_words(s);
  return words.empty() ? "" : " (" + words + ")";
}

// The footer line saying what "(adopted)" means, when some setting shows it.
void add_adopted_note(Table& table, const std::vector<SettingResult>& settings) {
  if (std::none_of(settings.begin(), settings.end(), [](const SettingResult& s) { return s.seeds_adopted > 0; })) {
    return;
  }
  table.notes.push_back("(adopted): results of identical training (same model, data, settings and seed) done for "
                        "another experiment or variant, not trained again; `ablate runs` names the source runs.");
}

// The footer line every results table starts with: what the numbers are, on which split, at which epoch.
std::vector<std::string> reproduced_notes(const std::string& what, const std::vector<SettingResult>& settings,
                                          const ResultsTableOptions& options) {
  const bool best = options.epoch == EpochPick::Best;
  std::vector<std::string> notes = {fmt::format("{}: mean \xC2\xB1 {} over finished seeds (n), {}, {}.", what,
                                                stat_words(options.stat), split_words(settings),
                                                best ? "best epoch" : "final epoch")};
  const bool any_test = std::any_of(settings.begin(), settings.end(),
                                    [](const SettingResult& s) { return s.eval_split != "val"; });
  if (best && any_test) {
    notes.push_back("Best epoch selected on the test split (--allow-test-selection): these numbers are optimistic.");
  }
  return notes;
}

}  // namespace

namespace {

// The contests for "best" of a plain table: every group's settings, on every metric.
std::vector<Contest> group_contests(const std::vector<SettingResult>& settings, const std::vector<std::string>& metrics) {
  std::vector<std::vector<std::size_t>> groups;
  std::map<std::string, std::size_t> group_index;
  for (std::size_t i = 0; i < settings.size(); ++i) {
    if (settings[i].evaluation_only) continue;  // one evaluation, not seeds: not in the contest for best
    const auto [it, inserted] = group_index.emplace(settings[i].group, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  std::vector<Contest> contests;
  for (const auto& group : groups) {
    for (const std::string& metric : metrics) contests.push_back({group, metric});
  }
  return contests;
}

// The reproduced cell of setting `index` with its marks.
Cell marked_cell(const std::vector<SettingResult>& settings, std::size_t index, const std::string& metric,
                 const ResultsTableOptions& options, const TableStatistics& statistics, double& mean) {
  Cell cell = reproduced_cell(settings[index], metric, options, mean);
  cell.best = statistics.is_best(index, metric);
  cell.differs = statistics.differs(index, metric);
  return cell;
}

}  // namespace

Table results_table(const std::string& title, const std::vector<SettingResult>& settings,
                    const std::vector<std::string>& metrics, const ResultsTableOptions& options) {
  if (metrics.empty()) throw std::invalid_argument("a results table needs at least one metric");
  const SizeUnits units = size_units(settings);
  Table table = table_with_model_columns(title, units);
  struct MetricColumns {
    std::string metric;
    bool has_paper = false;
  };
  const std::vector<std::pair<std::size_t, std::size_t>> pairs = reference_pairs(settings, options.reference);
  // Columns of comparisons only where there is something to compare (no group of one row each).
  const bool compare_columns = options.compare_columns && !pairs.empty();
  std::vector<MetricColumns> layout;
  for (const std::string& metric : metrics) {
    MetricColumns m{metric, false};
    for (const SettingResult& s : settings) m.has_paper = m.has_paper || s.paper.count(metric) != 0;
    const std::string caption = metric_caption(metric);
    if (m.has_paper) table.columns.push_back({"paper " + caption, Align::right, ""});
    table.columns.push_back({caption, Align::right, to_string(options.stat)});
    if (m.has_paper) table.columns.push_back({"delta", Align::right, ""});
    if (compare_columns) {
      for (Column& column : comparison_columns("vs ref")) table.columns.push_back(std::move(column));
    }
    layout.push_back(m);
  }
  const TableStatistics statistics =
      table_statistics(settings, pairs, group_contests(settings, metrics), metrics,
                       options.test, options.reference.empty() ? "its group's first row" : options.reference);

  std::map<std::string, std::size_t> group_index;
  for (std::size_t i = 0; i < settings.size(); ++i) {
    const SettingResult& s = settings[i];
    const auto [it, inserted] = group_index.emplace(s.group, table.groups.size());
    if (inserted) table.groups.push_back(RowGroup{s.group, {}});
    Row row = {text_cell(s.variant + adopted_marker(s)), text_cell(s.setting)};
    for (Cell& cell : size_cells(s, units)) row.push_back(std::move(cell));
    for (const MetricColumns& m : layout) {
      const auto paper = s.paper.find(m.metric);
      if (m.has_paper) {
        row.push_back(paper == s.paper.end() ? empty_cell() : number_cell(paper->second, 1));
      }
      double mean = 0;
      row.push_back(marked_cell(settings, i, m.metric, options, statistics, mean));
      if (m.has_paper) {
        row.push_back(paper != s.paper.end() && std::isfinite(mean)
                          ? number_cell(mean - paper->second, options.decimals, /*show_sign=*/true)
                          : empty_cell());
      }
      if (compare_columns) {
        for (Cell& cell : comparison_cells(statistics, i, m.metric, options.decimals)) row.push_back(std::move(cell));
      }
    }
    table.groups[it->second].rows.push_back(std::move(row));
  }

  table.notes = reproduced_notes("Reproduced", settings, options);
  bool any_paper = false;
  for (const MetricColumns& m : layout) any_paper = any_paper || m.has_paper;
  if (any_paper) table.notes.push_back("delta = reproduced - paper.");
  bool unfinished = false;
  for (const SettingResult& s : settings) unfinished = unfinished || !s.complete();
  if (unfinished) table.notes.push_back("Unfinished settings show their progress instead of a value.");
  for (std::string& note : statistics_notes(statistics, settings, options.compare_columns)) {
    table.notes.push_back(std::move(note));
  }
  add_adopted_note(table, settings);
  add_evaluation_note(table, settings);
  return table;
}

Table shortcut_table(const std::string& title, const std::vector<SettingResult>& settings,
                     const std::vector<std::string>& metrics, const ResultsTableOptions& options) {
  if (metrics.empty()) throw std::invalid_argument("a results table needs at least one metric");
  // Rows in order of first appearance; each holds its with- and without-shortcut settings (indices).
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Pair {
    std::string group, row;
    std::size_t with = kNone;
    std::size_t without = kNone;
  };
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i < settings.size(); ++i) {
    const SettingResult& s = settings[i];
    auto found = std::find_if(pairs.begin(), pairs.end(),
                              [&](const Pair& p) { return p.group == s.group && p.row == s.row; });
    if (found == pairs.end()) found = pairs.insert(pairs.end(), Pair{s.group, s.row});
    (s.shortcut ? found->with : found->without) = i;
  }
  // Columns of comparisons only where some row has both sides.
  const bool compare_columns = options.compare_columns && std::any_of(pairs.begin(), pairs.end(), [](const Pair& p) {
                                 return p.with != kNone && p.without != kNone;
                               });
  const SizeUnits units = size_units(settings);
  Table table = table_with_model_columns(title, units);
  struct Side {
    std::string metric;
    bool with_shortcut;
    bool has_paper;
  };
  std::vector<Side> sides;
  for (const std::string& metric : metrics) {
    for (bool with : {true, false}) {
      Side side{metric, with, false};
      for (const Pair& p : pairs) {
        const std::size_t s = with ? p.with : p.without;
        side.has_paper = side.has_paper || (s != kNone && settings[s].paper.count(metric) != 0);
      }
      const std::string name = std::string(with ? "with" : "without") + " shortcut";
      const std::string caption = metrics.size() > 1 ? name + ", " + metric_caption(metric) : name;
      if (side.has_paper) table.columns.push_back({"paper " + name, Align::right, ""});
      table.columns.push_back({caption, Align::right, to_string(options.stat)});
      if (side.has_paper) table.columns.push_back({"delta", Align::right, ""});
      if (!with && compare_columns) {
        for (Column& column : comparison_columns("without - with")) table.columns.push_back(std::move(column));
      }
      sides.push_back(side);
    }
  }
  // Each row's without-shortcut setting against its with-shortcut one; best contests per group and side.
  std::vector<std::pair<std::size_t, std::size_t>> compared;
  std::vector<Contest> contests;
  std::map<std::string, std::size_t> first_contest;  // group -> index of its first contest
  for (const Pair& p : pairs) {
    if (p.with != kNone && p.without != kNone) compared.emplace_back(p.without, p.with);
    const auto [it, inserted] = first_contest.emplace(p.group, contests.size());
    if (inserted) {
      for (const Side& side : sides) contests.push_back({{}, side.metric});
    }
    for (std::size_t k = 0; k < sides.size(); ++k) {
      const std::size_t s = sides[k].with_shortcut ? p.with : p.without;
      if (s != kNone && !settings[s].evaluation_only) contests[it->second + k].settings.push_back(s);
    }
  }
  contests.erase(std::remove_if(contests.begin(), contests.end(), [](const Contest& c) { return c.settings.empty(); }),
                 contests.end());
  const TableStatistics statistics =
      table_statistics(settings, compared, contests, metrics, options.test, "the same row with shortcuts");

  std::map<std::string, std::size_t> group_index;
  for (const Pair& p : pairs) {
    const auto [it, inserted] = group_index.emplace(p.group, table.groups.size());
    if (inserted) table.groups.push_back(RowGroup{p.group, {}});
    const SettingResult& shown = settings[p.with != kNone ? p.with : p.without];
    // A row holds two settings, so its label names the side whose runs were adopted.
    std::string label = p.row;
    for (const auto& [index, name] : {std::pair{p.with, "with shortcut"}, std::pair{p.without, "without shortcut"}}) {
      const std::string words = index == kNone ? "" : adopted_words(settings[index]);
      if (!words.empty()) label += fmt::format(" ({}: {})", name, words);
    }
    Row row = {text_cell(label), text_cell(shown.setting)};
    for (Cell& cell : size_cells(shown, units)) row.push_back(std::move(cell));
    for (const Side& side : sides) {
      const std::size_t s = side.with_shortcut ? p.with : p.without;
      const auto paper = s == kNone ? std::map<std::string, double>::const_iterator{} : settings[s].paper.find(side.metric);
      const bool has_paper = s != kNone && paper != settings[s].paper.end();
      if (side.has_paper) row.push_back(has_paper ? number_cell(paper->second, 1) : empty_cell());
      double mean = std::nan("");
      row.push_back(s == kNone ? text_cell("not in experiment")
                               : marked_cell(settings, s, side.metric, options, statistics, mean));
      if (side.has_paper) {
        row.push_back(has_paper && std::isfinite(mean)
                          ? number_cell(mean - paper->second, options.decimals, /*show_sign=*/true)
                          : empty_cell());
      }
      if (!side.with_shortcut && compare_columns) {
        for (Cell& cell : comparison_cells(statistics, s == kNone ? p.with : s, side.metric, options.decimals)) {
          row.push_back(std::move(cell));
        }
      }
    }
    table.groups[it->second].rows.push_back(std::move(row));
  }
  table.notes = reproduced_notes(metric_caption(metrics.front()), settings, options);
  table.notes.push_back("delta = reproduced - paper; params and MACs of the variant with shortcuts.");
  for (std::string& note : statistics_notes(statistics, settings, options.compare_columns)) {
    table.notes.push_back(std::move(note));
  }
  add_adopted_note(table, settings);
  add_evaluation_note(table, settings);
  return table;
}

namespace {

std::string side(int64_t size) { return fmt::format("{}x{}", size, size); }

}  // namespace

Table architecture_table(const std::string& title, const std::vector<config::RunSpec>& runs) {
  const auto variants = by_variant(runs);
  std::vector<models::Complexity> costs;
  std::vector<const config::RunSpec*> specs;
  std::size_t stages = 0;
  int64_t max_params = 0;
  int64_t max_macs = 0;
  for (const auto& seeds : variants) {
    specs.push_back(seeds.front());
    costs.push_back(models::analyze(seeds.front()->model.options, seeds.front()->model.image_size));
    stages = std::max(stages, costs.back().stages.size());
    max_params = std::max(max_params, costs.back().params);
    max_macs = std::max(max_macs, costs.back().macs);
  }
  Table table;
  table.title = title;
  table.columns = {{"stage", Align::left, ""}, {"output", Align::right, ""}};
  for (const config::RunSpec* spec : specs) table.columns.push_back({spec->variant, Align::left, ""});

  RowGroup group;
  const std::size_t n = specs.size();
  // The stem: conv1 (and the max-pool of the ImageNet stem).
  Row stem = {text_cell("conv1"), text_cell(costs.empty() ? "" : side(costs.front().stem_output_size))};
  for (std::size_t v = 0; v < n; ++v) {
    const models::LayerCost& conv1 = costs[v].layers.front();
    std::string text = fmt::format("{}x{}, {}, stride {}", conv1.kernel, conv1.kernel, conv1.out_channels, conv1.stride);
    if (specs[v]->model.options.stem() == models::Stem::imagenet) text += "; 3x3 max pool, stride 2";
    stem.push_back(text_cell(text));
  }
  group.rows.push_back(stem);
  for (std::size_t s = 0; s < stages; ++s) {
    Row row = {text_cell(fmt::format("conv{}", s + 2)),
               text_cell(s < costs.front().stages.size() ? side(costs.front().stages[s].output_size) : "")};
    for (std::size_t v = 0; v < n; ++v) {
      row.push_back(s < costs[v].stages.size() ? text_cell(models::stage_template(costs[v].stages[s])) : empty_cell());
    }
    group.rows.push_back(row);
  }
  Row head = {text_cell("head"), text_cell("1x1")};
  for (std::size_t v = 0; v < n; ++v) {
    head.push_back(text_cell(fmt::format("global average pool, {}-d fc", specs[v]->model.options.num_classes())));
  }
  group.rows.push_back(head);
  const Unit params = params_unit(max_params);
  const Unit macs = macs_unit(max_macs);
  Row params_row = {text_cell(fmt::format("params ({})", params.suffix)), empty_cell()};
  Row macs_row = {text_cell(macs.suffix), empty_cell()};
  for (std::size_t v = 0; v < n; ++v) {
    params_row.push_back(number_cell(static_cast<double>(costs[v].params) / params.scale, params.decimals));
    macs_row.push_back(number_cell(static_cast<double>(costs[v].macs) / macs.scale, macs.decimals));
  }
  group.rows.push_back(params_row);
  group.rows.push_back(macs_row);
  table.groups.push_back(group);
  if (!specs.empty()) {
    table.notes.push_back(fmt::format("Input {}x{}; C = groups of the 3x3 conv; MACs count conv and fc multiply-adds.",
                                      specs.front()->model.image_size, specs.front()->model.image_size));
  }
  return table;
}

Table build_results_table(const config::Experiment& experiment, const std::string& profile, const Store& store,
                          const ResultsTableOptions& options, const std::vector<std::string>& set_overrides) {
  const std::vector<config::RunSpec> runs = config::expand(experiment, profile, set_overrides);
  check_epoch_pick(runs, options.epoch, options.allow_test_selection);
  const std::vector<std::string> metrics = table_metrics(experiment, options);
  const std::vector<SettingResult> settings = collect_settings(experiment, runs, store, profile, metrics, options.epoch);
  ResultsTableOptions resolved = options;
  if (resolved.reference.empty()) resolved.reference = experiment.table.reference;
  // A profile that leaves the reference variant out compares each group with its first row instead.
  if (std::none_of(settings.begin(), settings.end(), [&](const SettingResult& s) { return s.variant == resolved.reference; })) {
    resolved.reference.clear();
  }
  if (experiment.table.layout == "shortcut") {
    return shortcut_table(table_title(experiment, profile), settings, metrics, resolved);
  }
  return results_table(table_title(experiment, profile), settings, metrics, resolved);
}

Findings build_findings(const config::Experiment& experiment, const std::string& profile, const Store& store,
                        const ResultsTableOptions& options, const std::vector<std::string>& set_overrides) {
  const std::vector<config::RunSpec> runs = config::expand(experiment, profile, set_overrides);
  check_epoch_pick(runs, options.epoch, options.allow_test_selection);
  const std::vector<SettingResult> settings =
      collect_settings(experiment, runs, store, profile, claim_metrics(experiment.claims), options.epoch);
  return check_claims(experiment.claims, settings, options.test);
}

}  // namespace ablate::results
