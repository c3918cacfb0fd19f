// The table model: number formatting, progress text, best marking, escaping.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "results/table_escape.h"
#include "results/table_format.h"
#include "results/table_model.h"

namespace ablate::results {
namespace {

TEST(TableFormat, Numbers) {
  EXPECT_EQ(format_number(22.204, 2), "22.20");
  EXPECT_EQ(format_number(0.3, 2, true), "+0.30");
  EXPECT_EQ(format_number(-0.3, 2, true), "-0.30");
  EXPECT_EQ(format_number(-0.001, 2), "0.00");  // never "-0.00"
  EXPECT_EQ(format_number(-0.001, 2, true), "+0.00");
  EXPECT_EQ(format_number(25.557, 0), "26");
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN(), 2), "nan");
}

TEST(TableFormat, Estimates) {
  EXPECT_EQ(plain_cell_text(estimate_cell(22.2, 0.314, 3, 2)), "22.20 \xC2\xB1 0.31 (3)");
  EXPECT_EQ(plain_cell_text(estimate_cell(22.2, std::nan(""), 1, 1)), "22.2 (1)");
  EXPECT_EQ(plain_cell_text(estimate_cell(22.2, 0.3, 2, 1), "+-"), "22.2 +- 0.3 (2)");
  EXPECT_EQ(plain_cell_text(empty_cell()), "");
}

TEST(TableModel, ProgressText) {
  EXPECT_EQ(format_progress({2, 3, 0, 4, 10}), "2/3 seeds, epoch 4/10");
  EXPECT_EQ(format_progress({0, 3, 0, 0, 10}), "0/3 seeds");
  EXPECT_EQ(format_progress({1, 3, 1, 2, 10}), "1/3 seeds, 1 failed, epoch 2/10");
}

Table one_column(std::vector<std::vector<Cell>> groups) {
  Table table;
  table.columns = {{"err", Align::right, ""}};
  for (auto& cells : groups) {
    RowGroup group;
    for (Cell& cell : cells) group.rows.push_back({cell});
    table.groups.push_back(group);
  }
  return table;
}

TEST(TableModel, MarksAreWhatTheBuilderSet) {
  Table table = one_column({{number_cell(3, 1), number_cell(2, 1)}, {estimate_cell(5, 1, 3, 1)}});
  EXPECT_FALSE(has_best(table));
  EXPECT_FALSE(has_differs(table));
  table.groups[0].rows[1][0].best = true;
  table.groups[1].rows[0][0].differs = true;
  EXPECT_TRUE(has_best(table));
  EXPECT_TRUE(has_differs(table));
}

TEST(TableModel, IntervalsAndPValuesRead) {
  EXPECT_EQ(plain_cell_text(interval_cell(-1.204, 0.4, 2)), "[-1.20, +0.40]");
  EXPECT_EQ(plain_cell_text(interval_cell(-0.001, 0.0, 2)), "[+0.00, +0.00]");
  EXPECT_EQ(plain_cell_text(p_value_cell(0.0312)), "0.031");
  EXPECT_EQ(plain_cell_text(p_value_cell(0.0004)), "<0.001");
  EXPECT_EQ(plain_cell_text(p_value_cell(1)), "1.000");
}

TEST(TableEscape, Latex) {
  EXPECT_EQ(latex_escape("_%&#${}~^\\"),
            "\\_\\%\\&\\#\\$\\{\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}");
  EXPECT_EQ(latex_escape("1\xC2\xB1 2\xC3\x97"), "1\\ensuremath{\\pm} 2\\ensuremath{\\times}");
  EXPECT_EQ(latex_escape("a\nb"), "a b");
}

TEST(TableEscape, Markdown) {
  EXPECT_EQ(markdown_escape("a|b"), "a\\|b");
  EXPECT_EQ(markdown_escape("a\\|b"), "a\\\\\\|b");
  EXPECT_EQ(markdown_escape("x_1 *y* [l](u)"), "x\\_1 \\*y\\* \\[l\\](u)");
}

TEST(TableEscape, Csv) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(TableEscape, CsvTextNeutralisesFormulaStarts) {
  for (const std::string formula : {"=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"}) {
    EXPECT_EQ(csv_text(formula), "'" + formula);
  }
  EXPECT_EQ(csv_text("ResNeXt-50 = 32x4d"), "ResNeXt-50 = 32x4d");
  EXPECT_EQ(csv_text(""), "");
}

TEST(TableEscape, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(display_width("\xC2\xB1"), 1u);
  EXPECT_EQ(display_width("22.20 \xC2\xB1 0.31"), 12u);
}

}  // namespace
}  // namespace ablate::results
