// Figures built from an experiment and a store filled through the store API.
#include <gtest/gtest.h>

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
  // The unfinished variant: epoch 4 was reached by seed 0 only, epoch 1 by all three.
  const CurveSeries& partial = figure.panels[0].series[2];
  ASSERT_EQ(partial.val.x.size(), 4u);
  EXPECT_DOUBLE_EQ(partial.val.low[3], partial.val.high[3]);
  // A variant with one seed run has no band.
  EXPECT_TRUE(figure.panels[1].series[1].val.low.empty());
  ablate::testing::expect_golden(curves_script(figure, {}, "curves.png"), "tests/plots/golden/store_curves.gp");
}

TEST_F(FigureBuilderTest, ComparedFamiliesShareOnePanel) {
  results::Store store = results::Store::open(":memory:");
  fill_default(store);
  experiment_.plot.series = experiment_.table.group_by;  // the plot compares what the table groups by
  const CurvesFigure figure = curves_figure(experiment_, config::expand(experiment_, ""), store, {}, "Curves");
  ASSERT_EQ(figure.panels.size(), 1u);
  EXPECT_EQ(figure.panels[0].series.size(), 6u);
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
  EXPECT_EQ(smallest.label, "8x1d");
  EXPECT_NEAR(smallest.y, 26.8, 1e-9);
  EXPECT_NEAR(smallest.error, 0.3 / std::sqrt(3.0), 1e-9);
  FigureRequest macs;
  macs.x = "macs";
  EXPECT_EQ(complexity_figure(experiment_, runs, store, macs, "C").x_label, "MMACs");
  macs.x = "flops";
  EXPECT_THROW(complexity_figure(experiment_, runs, store, macs, "C"), std::invalid_argument);
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
