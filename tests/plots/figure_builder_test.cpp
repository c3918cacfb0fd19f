// Figures built from an experiment and a store filled through the store API.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "../results/table_golden.h"
#include "../results/table_store_fixture.h"
#include "plots/figure_builder.h"
#include "plots/gnuplot_script.h"

namespace ablate::plots {
namespace {

using FigureBuilderTest = results::testing::ExperimentStoreTest;

TEST_F(FigureBuilderTest, CurvesArePanelsOfSeedMeansWithMinMaxBands) {
  results::Store store = results::Store::open(":memory:");
  fill_default(store);
  const auto runs = config::expand(experiment_, "");
  const CurvesFigure figure = curves_figure(experiment_, runs, store, {}, "Curves");
  ASSERT_EQ(figure.panels.size(), 2u);
  EXPECT_EQ(figure.panels[0].title, "depth 11");
  ASSERT_EQ(figure.panels[0].series.size(), 4u);
  const CurveSeries& first = figure.panels[0].series[0];
  EXPECT_EQ(first.name, "ResNet 1x8d");
  ASSERT_EQ(first.val.x.size(), 4u);
  // Epoch 1 of seeds 0, 1, 2: 37.0, 37.3, 37.6.
  EXPECT_NEAR(first.val.y[0], 37.3, 1e-9);
  EXPECT_NEAR(first.val.low[0], 37.0, 1e-9);
  EXPECT_NEAR(first.val.high[0], 37.6, 1e-9);
  EXPECT_NEAR(first.train.y[0], 32.3, 1e-9);
  EXPECT_TRUE(first.train.low.empty());  // bands on val only: train bands would hide the val curves
  // The unfinished variant: epoch 4 was reached by seed 0 only, epoch 1 by all three.
  const CurveSeries& partial = figure.panels[0].series[2];
  ASSERT_EQ(partial.val.x.size(), 4u);
  EXPECT_DOUBLE_EQ(partial.val.low[3], partial.val.high[3]);
  // A variant with one seed run has no band.
  EXPECT_TRUE(figure.panels[1].series[1].val.low.empty());
  ablate::testing::expect_golden(curves_script(figure, {}, "curves.png"), "tests/plots/golden/store_curves.gp");
}

// One panel per table group whatever the plot compares; a group of more variants than a panel shows
// well is split; within a panel a variant is named by its row label when that tells it apart.
TEST_F(FigureBuilderTest, PanelsFollowTheTableGroupsAndStaySmall) {
  results::Store store = results::Store::open(":memory:");
  fill_default(store);
  experiment_.plot.series = experiment_.table.group_by;
  EXPECT_EQ(curves_figure(experiment_, config::expand(experiment_, ""), store, {}, "Curves").panels.size(), 2u);
  experiment_.table.group_by.clear();  // one group of six variants: two panels of three
  const CurvesFigure split = curves_figure(experiment_, config::expand(experiment_, ""), store, {}, "Curves");
  ASSERT_EQ(split.panels.size(), 2u);
  EXPECT_EQ(split.panels[0].title, " (1/2)");
  EXPECT_EQ(split.panels[0].series.size(), 3u);
  EXPECT_EQ(split.panels[1].series.size(), 3u);
  EXPECT_LE(split.panels[0].series.size(), kMaxSeriesPerPanel);
  experiment_.table.row = "group";  // every variant of the group shares the label: names stay distinct
  const CurvesFigure named = curves_figure(experiment_, config::expand(experiment_, ""), store, {}, "Curves");
  EXPECT_EQ(named.panels[0].series[0].name, "ResNet 1x8d");
}

TEST_F(FigureBuilderTest, ComplexityPointsAreFinishedMeansWithStandardErrors) {
  results::Store store = results::Store::open(":memory:");
  fill_default(store);
  const auto runs = config::expand(experiment_, "");
  const ComplexityFigure figure = complexity_figure(experiment_, runs, store, {}, "Complexity");
  ASSERT_EQ(figure.series.size(), 1u);  // no `plot.series` label: one line
  EXPECT_EQ(figure.x_label, "parameters (k)");
  ASSERT_EQ(figure.series[0].points.size(), 6u);
  // Sorted by size: the smallest net is ResNeXt 8x1d (22.6k params), final errors 26.5, 26.8, 27.1.
  const ComplexityPoint& smallest = figure.series[0].points[0];
  EXPECT_EQ(smallest.label, "8x1d");  // no row label in the table hints: the architecture's CxWd
  // 22.6k to 56.8k parameters: a series that grows in size, so its points are joined.
  EXPECT_TRUE(figure.series[0].lines);
  EXPECT_NEAR(smallest.y, 26.8, 1e-9);
  EXPECT_NEAR(smallest.error, 0.3 / std::sqrt(3.0), 1e-9);
  FigureRequest macs;
  macs.x = "macs";
  EXPECT_EQ(complexity_figure(experiment_, runs, store, macs, "C").x_label, "MMACs");
  macs.x = "flops";
  EXPECT_THROW(complexity_figure(experiment_, runs, store, macs, "C"), std::invalid_argument);
}

// Lines join a series' points only along a real axis: automatic for a series that grows (largest at least
// 25% bigger than smallest), never for one at a shared budget (Table 3 and 4 groups), or as plot.lines says.
// Points carry the variant's setting label.
TEST_F(FigureBuilderTest, ComplexityLinesAndLabels) {
  results::Store store = results::Store::open(":memory:");
  fill_default(store);
  const auto runs = config::expand(experiment_, "");
  experiment_.plot.lines = config::PlotHints::Lines::never;
  EXPECT_FALSE(complexity_figure(experiment_, runs, store, {}, "C").series[0].lines);
  experiment_.plot.lines = config::PlotHints::Lines::automatic;
  // Only ResNeXt 2x4d and 4x2d, of about the same size (27.2k and 24.2k): a budget, not a series.
  const std::vector<config::RunSpec> budget(runs.begin() + 3, runs.begin() + 9);
  const ComplexityFigure same = complexity_figure(experiment_, budget, store, {}, "C");
  ASSERT_EQ(same.series[0].points.size(), 2u);  // 2x4d (3 seeds) and 4x2d (seed 0 finished)
  EXPECT_FALSE(same.series[0].lines);
  experiment_.plot.lines = config::PlotHints::Lines::always;
  EXPECT_TRUE(complexity_figure(experiment_, budget, store, {}, "C").series[0].lines);
  // A label several points of a series share (as a model with and without shortcuts share their row
  // label) would not tell them apart: those points carry their variants' names. In different series
  // (colours) a shared label is left short.
  experiment_.table.row = "group";
  const ComplexityFigure shared = complexity_figure(experiment_, runs, store, {}, "C");
  EXPECT_EQ(shared.series[0].points[0].label, "ResNeXt 8x1d");
  experiment_.table.row.clear();
  experiment_.plot.series = "group";
  const ComplexityFigure apart = complexity_figure(experiment_, runs, store, {}, "C");
  ASSERT_EQ(apart.series.size(), 2u);
  for (const ComplexitySeries& series : apart.series) {
    EXPECT_TRUE(std::any_of(series.points.begin(), series.points.end(),
                            [](const ComplexityPoint& p) { return p.label == "1x8d"; }))
        << series.name;
  }
}

// Fig. 7's width line starts at 1x64d, a point of the cardinality series: a joined series whose points
// all lie beyond the table's reference starts at it (drawn again there, unlabelled); the reference's own
// series, and series that are not joined, are left as they are.
TEST_F(FigureBuilderTest, JoinedSeriesStartAtTheTableReference) {
  results::Store store = results::Store::open(":memory:");
  fill_default(store);
  const auto runs = config::expand(experiment_, "");
  experiment_.plot.series = "group";
  experiment_.plot.lines = config::PlotHints::Lines::always;
  const ComplexityFigure plain = complexity_figure(experiment_, runs, store, {}, "C");
  ASSERT_EQ(plain.series.size(), 2u);
  ASSERT_EQ(plain.series[1].points.size(), 2u);  // depth 20: ResNet-20 1x8d, ResNeXt-20 | 4x2d
  experiment_.table.reference = "ResNet 1x8d";
  const ComplexityFigure rooted = complexity_figure(experiment_, runs, store, {}, "C");
  ASSERT_EQ(rooted.series[0].points.size(), plain.series[0].points.size());
  ASSERT_EQ(rooted.series[1].points.size(), 3u);
  const auto home = std::find_if(rooted.series[0].points.begin(), rooted.series[0].points.end(),
                                 [](const ComplexityPoint& p) { return p.label == "1x8d"; });
  ASSERT_NE(home, rooted.series[0].points.end());
  const ComplexityPoint& root = rooted.series[1].points[0];
  EXPECT_DOUBLE_EQ(root.x, home->x);
  EXPECT_DOUBLE_EQ(root.y, home->y);
  EXPECT_TRUE(root.label.empty());
  experiment_.plot.lines = config::PlotHints::Lines::never;
  EXPECT_EQ(complexity_figure(experiment_, runs, store, {}, "C").series[1].points.size(), 2u);
}

TEST_F(FigureBuilderTest, BarsPerVariantWhenNoShortcutComparison) {
  results::Store store = results::Store::open(":memory:");
  fill_default(store);
  const auto runs = config::expand(experiment_, "");
  EXPECT_FALSE(compares_shortcuts(runs));
  const BarsFigure figure = bars_figure(experiment_, runs, store, {}, "Bars");
  ASSERT_EQ(figure.categories.size(), 6u);
  ASSERT_EQ(figure.series.size(), 1u);
  EXPECT_NEAR(figure.series[0].values[0], 28.3, 1e-9);
}

TEST_F(FigureBuilderTest, NothingStoredIsAnErrorThatSaysSo) {
  results::Store store = results::Store::open(":memory:");
  const auto runs = config::expand(experiment_, "");
  try {
    curves_figure(experiment_, runs, store, {}, "Curves");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("run it first"), std::string::npos);
  }
  EXPECT_THROW(complexity_figure(experiment_, runs, store, {}, "C"), std::runtime_error);
  EXPECT_THROW(bars_figure(experiment_, runs, store, {}, "B"), std::runtime_error);
}

}  // namespace
}  // namespace ablate::plots
