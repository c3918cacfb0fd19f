#pragma once
// Hand-made tables that exercise every cell kind and every character the formats must escape.

#include <cmath>
#include <limits>

#include "results/table_model.h"

namespace ablate::testing {

// Paper Table 3 in miniature: two depth groups; finished groups (3 seeds and 2 seeds), one unfinished
// group (progress instead of a number), one variant without a paper value and with one seed only,
// a tie for best, and user text full of characters that Markdown, LaTeX and CSV treat specially.
inline results::Table table3_fixture() {
  using namespace results;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Table table;
  table.title = "Cardinality vs. width at 1x complexity (paper Table 3)";
  table.columns = {{"model", Align::left, ""},          {"setting", Align::left, ""},
                   {"params (M)", Align::right, ""},    {"GMACs", Align::right, ""},
                   {"paper top-1 err", Align::right, ""}, {"top-1 err (%)", Align::right, "std"},
                   {"delta", Align::right, ""}};
  RowGroup depth50{"depth 50", {}};
  depth50.rows.push_back({text_cell("ResNet-50"), text_cell("1x64d"), number_cell(25.557, 2), number_cell(4.089, 3),
                          number_cell(23.9, 1), estimate_cell(24.1, 0.2, 3, 2), number_cell(0.2, 2, true)});
  depth50.rows.push_back({text_cell("ResNeXt-50"), text_cell("2x40d"), number_cell(25.425, 2),
                          number_cell(4.125, 3), number_cell(23.0, 1), estimate_cell(23.354, 0.151, 3, 2),
                          number_cell(0.354, 2, true)});
  depth50.rows.push_back({text_cell("ResNeXt-50"), text_cell("32x4d"), number_cell(25.029, 2),
                          number_cell(4.230, 3), number_cell(22.2, 1),
                          progress_cell(format_progress({2, 3, 0, 4, 10})), empty_cell()});
  depth50.rows.push_back({text_cell("ResNeXt-50"), text_cell("8x14d"), number_cell(25.603, 2),
                          number_cell(4.267, 3), empty_cell(), estimate_cell(22.8, nan, 1, 2), empty_cell()});
  RowGroup depth101{"depth 101: a_b & 50% #1 {x} ~y ^z \\w $5 |pipe| \"q\", c", {}};
  depth101.rows.push_back({text_cell("ResNet-101"), text_cell("1x64d"), number_cell(44.549, 2),
                           number_cell(7.801, 3), number_cell(22.0, 1), estimate_cell(21.904, 0.05, 2, 2),
                           number_cell(-0.096, 2, true)});
  depth101.rows.push_back({text_cell("Evil|name *bold* _x_ <b> `code`"), text_cell("32x4d"), number_cell(44.178, 2),
                           number_cell(7.970, 3), number_cell(21.2, 1), estimate_cell(21.896, 0.5, 2, 2),
                           number_cell(0.696, 2, true)});
  table.groups = {depth50, depth101};
  table.notes = {"top-1 err: mean \xC2\xB1 std over seeds (n); delta = reproduced - paper."};
  // Marks as a builder sets them from its tests: the best of depth 50 (apart from its runner-up), which
  // also differs from its group's first row; depth 101's near tie has no best.
  table.groups[0].rows[1][5].best = true;
  table.groups[0].rows[1][5].differs = true;
  return table;
}

// No group labels, no estimates: the architecture layout's shape.
inline results::Table plain_fixture() {
  using namespace results;
  Table table;
  table.title = "Stage templates";
  table.columns = {{"stage", Align::left, ""}, {"output", Align::right, ""}, {"ResNet-50 1x64d", Align::left, ""}};
  table.groups = {RowGroup{"",
                           {{text_cell("conv2"), text_cell("56x56"), text_cell("[1x1, 64; 3x3, 64; 1x1, 256] x 3")},
                            {text_cell("conv3"), text_cell("28x28"), text_cell("[1x1, 128; 3x3, 128; 1x1, 512] x 4")},
                            {text_cell("params"), empty_cell(), number_cell(25.557, 2)}}}};
  return table;
}

}  // namespace ablate::testing
