#include "plots/figure_builder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <utility>
#include <stdexcept>

#include <fmt/format.h>

#include "core/models/complexity.h"
#include "core/models/presets.h"
#include "results/stats.h"
#include "results/table_builder.h"

namespace ablate::plots {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string base_metric(const std::string& metric) {
  for (const char* prefix : {"val_", "train_"}) {
    if (metric.rfind(prefix, 0) == 0) return metric.substr(std::string(prefix).size());
  }
  return metric;
}

std::string resolved_metric(const config::Experiment& experiment, const FigureRequest& request) {
  if (!request.metric.empty()) return request.metric;
  return experiment.plot.metric.empty() ? "top1_err" : experiment.plot.metric;
}

// "top-1 error (%)" for errors, else the metric name.
std::string axis_label(const std::string& metric) {
  const std::string base = base_metric(metric);
  if (base == "top1_err") return "top-1 error (%)";
  if (base == "top5_err") return "top-5 error (%)";
  return base;
}

struct Variant {
  std::string name;
  std::vector<const config::RunSpec*> seeds;
};

// Variants in file order with their planned seeds.
std::vector<Variant> variants_of(const std::vector<config::RunSpec>& runs) {
  std::vector<Variant> variants;
  for (const config::RunSpec& run : runs) {
    auto found = std::find_if(variants.begin(), variants.end(), [&](const Variant& v) { return v.name == run.variant; });
    if (found == variants.end()) found = variants.insert(variants.end(), Variant{run.variant, {}});
    found->seeds.push_back(&run);
  }
  return variants;
}

std::string label_or(const config::RunSpec& run, const std::string& key, const std::string& fallback) {
  if (key.empty()) return fallback;
  const auto found = run.labels.find(key);
  return found == run.labels.end() ? fallback : found->second;
}

// Mean over seeds for each epoch any seed reached; with `band`, min and max too where at least two
// seeds reached some epoch (one seed has no spread to show).
Curve seed_curve(const results::Store& store, const Variant& variant, const std::string& metric, bool band) {
  std::map<int64_t, std::vector<double>> by_epoch;
  for (const config::RunSpec* run : variant.seeds) {
    for (const results::CurvePoint& point : store.curve(run->run_key, metric)) by_epoch[point.epoch].push_back(point.value);
  }
  Curve curve;
  bool spread = false;
  for (const auto& [epoch, values] : by_epoch) spread = spread || values.size() >= 2;
  band = band && spread;
  for (const auto& [epoch, values] : by_epoch) {
    curve.x.push_back(static_cast<double>(epoch));
    curve.y.push_back(results::mean(values));
    if (band) {
      curve.low.push_back(*std::min_element(values.begin(), values.end()));
      curve.high.push_back(*std::max_element(values.begin(), values.end()));
    }
  }
  return curve;
}

// Values of a variant's finished seeds at the final or best epoch.
std::vector<double> finished_values(const results::Store& store, const Variant& variant, const std::string& metric,
                                    results::EpochPick pick) {
  std::vector<double> values;
  for (const config::RunSpec* run : variant.seeds) {
    const auto info = store.find_run(run->run_key);
    if (!info || info->status != results::RunStatus::Finished) continue;
    if (const auto value = results::pick_value(store.curve(run->run_key, metric), metric, pick)) {
      values.push_back(*value);
    }
  }
  return values;
}

}  // namespace

bool compares_shortcuts(const std::vector<config::RunSpec>& runs) {
  bool with = false;
  bool without = false;
  for (const config::RunSpec& run : runs) {
    (run.model.options.shortcut() ? with : without) = true;
  }
  return with && without;
}

CurvesFigure curves_figure(const config::Experiment& experiment, const std::vector<config::RunSpec>& runs,
                           const results::Store& store, const FigureRequest& request, const std::string& title) {
  const std::string metric = base_metric(resolved_metric(experiment, request));
  CurvesFigure figure;
  figure.title = title;
  figure.y_label = axis_label(metric);
  // One panel per table group (Fig. 5: depth 50 | depth 101), in the table's order.
  struct Group {
    std::string label;
    std::vector<const Variant*> variants;
    std::vector<CurveSeries> series;
  };
  const std::vector<Variant> variants = variants_of(runs);
  std::vector<Group> groups;
  std::size_t max_seeds = 0;
  for (const Variant& variant : variants) {
    const std::string label = label_or(*variant.seeds.front(), experiment.table.group_by, "");
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.label == label; });
    if (group == groups.end()) group = groups.insert(groups.end(), Group{label, {}, {}});
    CurveSeries series{variant.name, seed_curve(store, variant, "train_" + metric, /*band=*/false),
                       seed_curve(store, variant, "val_" + metric, /*band=*/true)};
    if (series.train.x.empty() && series.val.x.empty()) continue;  // not started: nothing to draw
    // Within a panel the row label says enough ("32x4d"), unless two variants share it.
    series.name = label_or(*variant.seeds.front(), experiment.table.row, variant.name);
    max_seeds = std::max(max_seeds, variant.seeds.size());
    group->variants.push_back(&variant);
    group->series.push_back(std::move(series));
  }
  for (Group& group : groups) {
    for (std::size_t i = 0; i < group.series.size(); ++i) {
      const auto same = std::count_if(group.series.begin(), group.series.end(),
                                      [&](const CurveSeries& s) { return s.name == group.series[i].name; });
      if (same > 1) group.series[i].name = group.variants[i]->name;
    }
    // A group of more variants than a panel can show is split over several panels.
    const std::size_t parts = (group.series.size() + kMaxSeriesPerPanel - 1) / kMaxSeriesPerPanel;
    for (std::size_t part = 0; part < parts; ++part) {
      CurvePanel panel;
      panel.title = parts == 1 ? group.label : fmt::format("{} ({}/{})", group.label, part + 1, parts);
      const std::size_t per = (group.series.size() + parts - 1) / parts;
      for (std::size_t i = part * per; i < std::min(group.series.size(), (part + 1) * per); ++i) {
        panel.series.push_back(group.series[i]);
      }
      figure.panels.push_back(std::move(panel));
    }
  }
  if (figure.panels.empty()) {
    throw std::runtime_error(fmt::format("no epochs of '{}' are stored yet for experiment '{}': run it first",
                                         metric, experiment.name));
  }
  figure.note = max_seeds >= 2 ? fmt::format("mean over seeds; bands: min-max of val over up to {} seeds", max_seeds)
                               : "one seed: no bands";
  return figure;
}

ComplexityFigure complexity_figure(const config::Experiment& experiment, const std::vector<config::RunSpec>& runs,
                                   const results::Store& store, const FigureRequest& request,
                                   const std::string& title) {
  const std::string metric = resolved_metric(experiment, request);
  const std::string x = request.x.empty() ? experiment.plot.x : request.x;
  if (x != "params" && x != "macs") {
    throw std::invalid_argument("unknown complexity axis '" + x + "' (expected params or macs)");
  }
  const std::vector<Variant> variants = variants_of(runs);
  int64_t largest = 0;
  std::vector<models::Complexity> costs;
  for (const Variant& v : variants) {
    costs.push_back(models::analyze(v.seeds.front()->model.options, v.seeds.front()->model.image_size));
    largest = std::max(largest, x == "params" ? costs.back().params : costs.back().macs);
  }
  // Units that keep CPU-scale nets readable as well as ImageNet ones.
  const bool big = x == "params" ? largest >= 1000000 : largest >= 1000000000;
  const double scale = x == "params" ? (big ? 1e6 : 1e3) : (big ? 1e9 : 1e6);
  ComplexityFigure figure;
  figure.title = title;
  figure.x_label = x == "params" ? (big ? "parameters (M)" : "parameters (k)") : (big ? "GMACs" : "MMACs");
  figure.y_label = axis_label(metric);
  const std::string stored = results::store_metric(metric);
  // The drawn variants: those with finished values, each labelled with its setting label (the table's
  // row label), else its architecture's CxWd; where two of one series share a label (a model with and
  // without shortcuts), with their names instead.
  struct Drawn {
    std::size_t variant;
    std::string series;
    results::Summary summary;
    std::string label;
  };
  std::vector<Drawn> drawn;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const std::vector<double> values = finished_values(store, variants[v], stored, request.epoch);
    if (values.empty()) continue;
    const config::RunSpec& first = *variants[v].seeds.front();
    drawn.push_back({v, label_or(first, experiment.plot.series, experiment.plot.series.empty() ? "variants" : "other"),
                     results::summarize(values),
                     label_or(first, experiment.table.row, models::setting_of(first.model.options))});
  }
  if (drawn.empty()) {
    throw std::runtime_error(fmt::format("no finished runs with '{}' for experiment '{}' yet: run it first", stored,
                                         experiment.name));
  }
  std::vector<std::string> labels;
  for (const Drawn& d : drawn) {
    const auto same = std::count_if(drawn.begin(), drawn.end(),
                                    [&](const Drawn& o) { return o.series == d.series && o.label == d.label; });
    labels.push_back(same > 1 ? variants[d.variant].name : d.label);
  }
  std::map<std::string, std::size_t> series_index;
  // The reference variant's point (table.reference) and its series, when it is drawn.
  std::optional<std::pair<std::size_t, ComplexityPoint>> reference;
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    const Drawn& d = drawn[i];
    const auto [it, inserted] = series_index.emplace(d.series, figure.series.size());
    if (inserted) figure.series.push_back({d.series, {}});
    const double at = static_cast<double>(x == "params" ? costs[d.variant].params : costs[d.variant].macs) / scale;
    const ComplexityPoint point{at, d.summary.mean, d.summary.sem, labels[i]};
    figure.series[it->second].points.push_back(point);
    if (variants[d.variant].name == experiment.table.reference) reference.emplace(it->second, point);
  }
  // Lines connect points in order of size, as in Fig. 7, but only within a series that grows in
  // complexity: points that share a budget (Table 3's and Table 4's groups, within 25% of each other)
  // are different models, not steps along an axis.
  for (ComplexitySeries& s : figure.series) {
    std::sort(s.points.begin(), s.points.end(), [](const ComplexityPoint& a, const ComplexityPoint& b) { return a.x < b.x; });
    const bool grows = s.points.size() >= 2 && s.points.back().x >= 1.25 * s.points.front().x;
    s.lines = experiment.plot.lines == config::PlotHints::Lines::always ||
              (experiment.plot.lines == config::PlotHints::Lines::automatic && grows);
  }
  // A series that grows from the table's reference starts its line there, as both of Fig. 7's lines
  // start at ResNeXt-29 1x64d: the point is drawn again, unlabelled, at the head of the line.
  if (reference) {
    const auto& [home, point] = *reference;
    for (std::size_t i = 0; i < figure.series.size(); ++i) {
      ComplexitySeries& s = figure.series[i];
      if (i == home || !s.lines || s.points.empty() || !(point.x < s.points.front().x)) continue;
      ComplexityPoint root = point;
      root.label.clear();
      s.points.insert(s.points.begin(), root);
    }
  }
  figure.note = "mean over finished seeds; bars: standard error";
  return figure;
}

BarsFigure bars_figure(const config::Experiment& experiment, const std::vector<config::RunSpec>& runs,
                       const results::Store& store, const FigureRequest& request, const std::string& title) {
  const std::string metric = resolved_metric(experiment, request);
  const std::string stored = results::store_metric(metric);
  const bool shortcuts = compares_shortcuts(runs);
  BarsFigure figure;
  figure.title = title;
  figure.y_label = axis_label(metric);
  figure.note = "mean over finished seeds; error bars: standard error";
  std::map<std::string, std::size_t> category_index;
  std::map<std::string, std::size_t> series_index;
  struct Bar {
    std::size_t category, series;
    double value, error;
  };
  std::vector<Bar> bars;
  for (const Variant& variant : variants_of(runs)) {
    const config::RunSpec& first = *variant.seeds.front();
    const std::string category = label_or(first, experiment.table.row, variant.name);
    const std::string series = shortcuts ? (first.model.options.shortcut() ? "with shortcut" : "without shortcut")
                                         : label_or(first, experiment.plot.series, "reproduced");
    const auto [c, new_category] = category_index.emplace(category, figure.categories.size());
    if (new_category) figure.categories.push_back(category);
    const auto [s, new_series] = series_index.emplace(series, figure.series.size());
    if (new_series) figure.series.push_back({series, {}, {}});
    const std::vector<double> values = finished_values(store, variant, stored, request.epoch);
    const results::Summary summary = results::summarize(values);
    bars.push_back({c->second, s->second, summary.mean, summary.sem});
  }
  for (BarSeries& s : figure.series) {
    s.values.assign(figure.categories.size(), kNaN);
    s.errors.assign(figure.categories.size(), kNaN);
  }
  bool any = false;
  for (const Bar& bar : bars) {
    figure.series[bar.series].values[bar.category] = bar.value;
    figure.series[bar.series].errors[bar.category] = bar.error;
    any = any || std::isfinite(bar.value);
  }
  if (!any) {
    throw std::runtime_error(fmt::format("no finished runs with '{}' for experiment '{}' yet: run it first", stored,
                                         experiment.name));
  }
  return figure;
}

}  // namespace ablate::plots
