// Script writing: golden files for every figure kind, and the quoting rules.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "../results/table_golden.h"
#include "plot_fixture.h"
#include "plots/gnuplot_script.h"
#include "plots/gnuplot_text.h"

namespace ablate::plots {
namespace {

using ablate::testing::expect_golden;

TEST(PlotScript, CurvesGolden) {
  expect_golden(curves_script(testing::curves_fixture(), {}, "curves.png"), "tests/plots/golden/curves.gp");
}

TEST(PlotScript, ComplexityGolden) {
  ComplexityFigure figure = testing::complexity_fixture();
  figure.log_x = true;
  RenderOptions svg;
  svg.format = ImageFormat::svg;
  expect_golden(complexity_script(figure, svg, "complexity.svg"), "tests/plots/golden/complexity.gp");
}

TEST(PlotScript, BarsGolden) {
  expect_golden(bars_script(testing::bars_fixture(), {}, "bars.png"), "tests/plots/golden/bars.gp");
}

TEST(PlotScript, QuoteIsInertSingleQuoted) {
  EXPECT_EQ(gnuplot_quote("plain"), "'plain'");
  EXPECT_EQ(gnuplot_quote("it's"), "'it''s'");
  EXPECT_EQ(gnuplot_quote("a\nsystem('x')"), "'a system(''x'')'");
  EXPECT_EQ(gnuplot_quote("`ls` @m \"q\" \\"), "'`ls` @m \"q\" \\'");
  EXPECT_EQ(shell_quote("/tmp/it's"), "'/tmp/it'\\''s'");
}

TEST(PlotScript, NumbersUseADotAndRoundTrip) {
  EXPECT_EQ(gnuplot_number(22.2), "22.2");
  EXPECT_EQ(gnuplot_number(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(gnuplot_number(25), "25");
}

TEST(PlotScript, UserTextNeverLeavesItsQuotes) {
  CurvesFigure figure = testing::curves_fixture();
  figure.title = "T'\nsystem('touch x')";
  figure.panels[0].series[0].name = "`touch y`";
  const std::string script = curves_script(figure, {}, "out.png");
  // The newline became a space inside the quoted title, so no line of the script starts with system.
  EXPECT_EQ(script.find("\nsystem"), std::string::npos);
  EXPECT_NE(script.find("'T'' system(''touch x'')'"), std::string::npos);
  EXPECT_NE(script.find("title '`touch y`'"), std::string::npos);
}

TEST(PlotScript, MissingPointsAreLeftOut) {
  const std::string script = bars_script(testing::bars_fixture(), {}, "bars.png");
  BarsFigure figure = testing::bars_fixture();
  figure.series[1].values[1] = NAN;  // not run yet
  const std::string partial = bars_script(figure, {}, "bars.png");
  EXPECT_NE(script.find("\n1.2 26.1 0\n"), std::string::npos);  // NaN error -> no bar (0)
  EXPECT_EQ(partial.find("26.1"), std::string::npos);
}

TEST(PlotScript, InvalidFiguresAreRejected) {
  CurvesFigure curves = testing::curves_fixture();
  curves.panels[0].series[0].val.y.pop_back();
  EXPECT_THROW(curves_script(curves, {}, "x.png"), std::invalid_argument);
  EXPECT_THROW(curves_script(CurvesFigure{}, {}, "x.png"), std::invalid_argument);
  BarsFigure bars = testing::bars_fixture();
  bars.series[0].values.push_back(1);
  try {
    bars_script(bars, {}, "x.png");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'with shortcut': 3 values for 2 categories"), std::string::npos);
  }
  ComplexityFigure complexity = testing::complexity_fixture();
  complexity.log_x = true;
  complexity.series[0].points[0].x = 0;
  EXPECT_THROW(complexity_script(complexity, {}, "x.png"), std::invalid_argument);
  EXPECT_THROW(parse_image_format("jpeg"), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::plots
