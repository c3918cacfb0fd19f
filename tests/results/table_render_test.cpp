// Golden-file tests of every table format, plus the properties the goldens are meant to show.
#include <gtest/gtest.h>

#include <string>

#include "results/table_render.h"
#include "table_fixture.h"
#include "table_golden.h"

namespace ablate::results {
namespace {

using ablate::testing::expect_golden;
using ablate::testing::plain_fixture;
using ablate::testing::table3_fixture;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(TableRender, TextGolden) { expect_golden(render_text(table3_fixture()), "tests/results/golden/table3.txt"); }
TEST(TableRender, MarkdownGolden) { expect_golden(render_markdown(table3_fixture()), "tests/results/golden/table3.md"); }
TEST(TableRender, LatexGolden) { expect_golden(render_latex(table3_fixture()), "tests/results/golden/table3.tex"); }
TEST(TableRender, CsvGolden) { expect_golden(render_csv(table3_fixture()), "tests/results/golden/table3.csv"); }
TEST(TableRender, PlainTextGolden) { expect_golden(render_text(plain_fixture()), "tests/results/golden/plain.txt"); }
TEST(TableRender, PlainMarkdownGolden) {
  expect_golden(render_markdown(plain_fixture()), "tests/results/golden/plain.md");
}
TEST(TableRender, PlainCsvGolden) { expect_golden(render_csv(plain_fixture()), "tests/results/golden/plain.csv"); }

TEST(TableRender, TextAlignsColumnsAndMarksBest) {
  const std::string text = render_text(table3_fixture());
  // Both marks in one slot after the value: dagger (differs from the reference), then '*' (best).
  EXPECT_TRUE(contains(text, "23.35 \xC2\xB1 0.15 (3) \xE2\x80\xA0*"));
  EXPECT_TRUE(contains(text, "21.90 \xC2\xB1 0.05 (2)   "));  // unmarked values keep the slot blank
  EXPECT_TRUE(contains(text, "2/3 seeds, epoch 4/10"));
  EXPECT_TRUE(contains(text, "* best in its group, apart from the runner-up beyond noise\n"));
  EXPECT_TRUE(contains(text, "\xE2\x80\xA0 differs from its reference row beyond noise\n"));
  // Every table line (header to last row of a group) ends its "delta" column at the same display column.
  EXPECT_TRUE(contains(text, "   +0.20\n"));
}

TEST(TableRender, MarkdownEscapesPipesAndMarkup) {
  const std::string md = render_markdown(table3_fixture());
  EXPECT_TRUE(contains(md, "Evil\\|name \\*bold\\* \\_x\\_ \\<b\\> \\`code\\`"));
  EXPECT_TRUE(contains(md, "**23.35 \xC2\xB1 0.15 (3)** \xE2\x80\xA0"));
  EXPECT_TRUE(contains(md, "*2/3 seeds, epoch 4/10*"));
  // Each table line has exactly columns + 1 unescaped pipes.
  std::size_t start = md.find("| model");
  while (start != std::string::npos && start < md.size() && md[start] == '|') {
    const std::size_t end = md.find('\n', start);
    int pipes = 0;
    for (std::size_t i = start; i < end; ++i) pipes += md[i] == '|' && md[i - 1] != '\\';
    EXPECT_EQ(pipes, 8) << md.substr(start, end - start);
    start = end + 1;
  }
}

TEST(TableRender, LatexEscapesEverySpecialCharacter) {
  const std::string tex = render_latex(table3_fixture());
  EXPECT_TRUE(contains(tex, "a\\_b \\& 50\\% \\#1 \\{x\\} \\textasciitilde{}y \\textasciicircum{}z "
                            "\\textbackslash{}w \\$5 \\textbar{}pipe\\textbar{} \"q\", c"));
  EXPECT_TRUE(contains(tex, "\\textbf{23.35 $\\pm$ 0.15 (3)}$^\\dagger$"));
  EXPECT_TRUE(contains(tex, "$^\\dagger$: differs from its reference row beyond noise."));
  EXPECT_TRUE(contains(tex, "\\toprule"));
  EXPECT_TRUE(contains(tex, "\\bottomrule"));
  EXPECT_TRUE(contains(tex, "\\textit{2/3 seeds, epoch 4/10}"));
  EXPECT_TRUE(contains(tex, "mean \\ensuremath{\\pm} std"));
}

TEST(TableRender, CsvSplitsEstimatesAndQuotes) {
  const std::string csv = render_csv(table3_fixture());
  EXPECT_TRUE(contains(csv, "group,model,setting,params (M),GMACs,paper top-1 err,top-1 err (%),top-1 err (%) std,"
                            "top-1 err (%) n,delta\r\n"));
  EXPECT_TRUE(contains(csv, "depth 50,ResNeXt-50,8x14d,25.60,4.267,,22.80,,1,\r\n"));
  EXPECT_TRUE(contains(csv, "depth 50,ResNeXt-50,32x4d,25.03,4.230,22.2,\"2/3 seeds, epoch 4/10\",,,\r\n"));
  EXPECT_TRUE(contains(csv, "\"depth 101: a_b & 50% #1 {x} ~y ^z \\w $5 |pipe| \"\"q\"\", c\""));
  EXPECT_TRUE(contains(csv, ",-0.10\r\n"));  // no "+" in data
}

TEST(TableRender, ShapeMismatchIsAnError) {
  Table table = plain_fixture();
  table.groups[0].rows[1].pop_back();
  for (TableFormat format : {TableFormat::text, TableFormat::markdown, TableFormat::latex, TableFormat::csv}) {
    EXPECT_THROW(render_table(table, format), std::invalid_argument) << to_string(format);
  }
}

TEST(TableRender, ParseFormat) {
  EXPECT_EQ(parse_table_format("md"), TableFormat::markdown);
  EXPECT_EQ(parse_table_format("markdown"), TableFormat::markdown);
  EXPECT_EQ(parse_table_format("tex"), TableFormat::latex);
  EXPECT_THROW(parse_table_format("html"), std::invalid_argument);
}

TEST(TableRender, ControlCharactersCannotBreakLines) {
  Table table = plain_fixture();
  table.title = "two\nlines\x1b[31m";
  table.groups[0].rows[0][0] = text_cell("a\r\nb");
  const std::string text = render_text(table);
  EXPECT_TRUE(contains(text, "two lines [31m\n"));
  EXPECT_TRUE(contains(text, "a  b"));
  EXPECT_FALSE(contains(text, "\x1b"));
}

TEST(TableRender, CsvTextCannotBecomeAFormula) {
  Table table = plain_fixture();
  table.groups[0].rows[0][0] = text_cell("=HYPERLINK(\"http://x\")");
  table.groups[0].rows[0][1] = number_cell(-0.5, 2);
  table.columns[0].header = "@sum";
  const std::string csv = render_csv(table);
  EXPECT_TRUE(contains(csv, "\"'=HYPERLINK(\"\"http://x\"\")\""));
  EXPECT_TRUE(contains(csv, "'@sum"));
  EXPECT_TRUE(contains(csv, ",-0.50"));  // a negative number is data, not a formula
}

}  // namespace
}  // namespace ablate::results
