#pragma once
// Figures of an experiment from the results store: the figure specs of figure.h filled with the metrics
// of the experiment's planned runs (config::expand), matched by run key.
//
// curves:     paper Fig. 5. One panel per group of the table (the group_by label, e.g. depth), split
//             when a group has more than kMaxSeriesPerPanel variants; one colour per variant, named by
//             its row label; val (solid) and train (dashed) metric per epoch, the mean over the seeds
//             that reached the epoch, a min-max band on val where at least two did. Running runs are
//             drawn too.
// complexity: paper Fig. 7. One series per value of the plot's `series` label (e.g. cardinality vs.
//             width family), x = params or MACs, y = mean over finished seeds with standard-error bars,
//             each point labelled with its setting label (the table's row label, else CxWd; the variant's
//             name where two points of a series would share a label). Points are joined by a line only within a
//             series that grows in complexity (plot.lines: auto), or as plot.lines says; a joined series
//             whose points all lie beyond the table's reference (table.reference, in another series)
//             starts its line at the reference, as Fig. 7's width line starts at 1x64d.
// bars:       one category per row (the table's `row` label, else the variant), one bar series per
//             shortcut state when the experiment has both (paper Sec. 5.1), else per `series` label.

#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "core/config/run_spec.h"
#include "plots/figure.h"
#include "results/metric_selection.h"
#include "results/store.h"

namespace ablate::plots {

struct FigureRequest {
  std::string metric;  // table metric name (top1_err) or a stored one; "" = the experiment's plot hint
  std::string x;       // complexity axis: params | macs; "" = the experiment's plot hint
  results::EpochPick epoch = results::EpochPick::Final;
};

CurvesFigure curves_figure(const config::Experiment& experiment, const std::vector<config::RunSpec>& runs,
                           const results::Store& store, const FigureRequest& request, const std::string& title);
ComplexityFigure complexity_figure(const config::Experiment& experiment, const std::vector<config::RunSpec>& runs,
                                   const results::Store& store, const FigureRequest& request,
                                   const std::string& title);
BarsFigure bars_figure(const config::Experiment& experiment, const std::vector<config::RunSpec>& runs,
                       const results::Store& store, const FigureRequest& request, const std::string& title);

// Whether the experiment's variants differ in model.shortcut (then bars compare with vs. without).
bool compares_shortcuts(const std::vector<config::RunSpec>& runs);

}  // namespace ablate::plots
