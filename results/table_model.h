#pragma once
// A paper-style table as plain data: title, columns, groups of rows (paper Table 3 groups its rows by
// depth), typed cells. Builders fill it from experiments and the results store; renderers
// (table_render.h) print it as terminal text, Markdown, LaTeX or CSV. Keeping the two apart lets every
// format be golden-tested from a hand-made Table, and lets a new format reuse every builder.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ablate::results {

enum class Align { left, right };

struct Column {
  std::string header;         // short, shown verbatim (escaped per format): "top-1 err (%)"
  Align align = Align::right;
  // Non-empty marks a column of estimates (mean ± spread, n). CSV splits such a column into three:
  // "<header>", "<header> <spread_label>" and "<header> n", so spreadsheets get plain numbers.
  std::string spread_label;
  // A column of intervals: CSV splits it into "<header> low" and "<header> high".
  bool interval = false;
};

enum class CellKind {
  empty,     // nothing known (e.g. no paper value for this variant)
  text,      // free text: model name, setting "32x4d"
  number,    // one value printed with `decimals` digits
  estimate,  // mean ± spread (n) over seeds
  progress,  // an unfinished group: "2/3 seeds, epoch 4/10" stands in for the number
  interval,  // a confidence interval [low, high] of a difference: "[-1.20, +0.40]"
  p_value,   // a probability: "0.031", "<0.001"
};

struct Cell {
  CellKind kind = CellKind::empty;
  std::string text;    // text and progress cells
  double value = 0;    // number: the value; estimate: the mean; interval: the low end; p_value: p
  double spread = std::numeric_limits<double>::quiet_NaN();  // estimate: NaN = not shown (one seed)
  double high = 0;     // interval: the high end
  int64_t n = 0;       // estimate: number of seeds behind the mean
  int decimals = 2;    // number and estimate
  bool show_sign = false;  // number: print "+0.30" (differences to the paper)
  // Set by the table builders from the comparisons (comparisons.h), never from the means alone:
  bool best = false;     // best of its group, apart from the runner-up beyond noise; bold / '*'
  bool differs = false;  // differs from its row's reference beyond noise; a dagger in every format but CSV
};

Cell empty_cell();
Cell text_cell(std::string text);
Cell number_cell(double value, int decimals, bool show_sign = false);
Cell estimate_cell(double mean, double spread, int64_t n, int decimals);
Cell progress_cell(std::string text);
Cell interval_cell(double low, double high, int decimals);
Cell p_value_cell(double p);

using Row = std::vector<Cell>;

struct RowGroup {
  std::string label;  // printed above its rows; empty = no heading (a table with a single group)
  std::vector<Row> rows;
};

struct Table {
  std::string title;
  std::vector<Column> columns;
  std::vector<RowGroup> groups;
  std::vector<std::string> notes;  // printed under the table (LaTeX: appended to the caption)
};

// How far an unfinished group has come, for its progress cell.
struct Progress {
  int64_t seeds_finished = 0;
  int64_t seeds_total = 0;
  int64_t seeds_failed = 0;
  int64_t epoch = 0;   // latest epoch any running seed of the group has finished; 0 = none running
  int64_t epochs = 0;  // epochs per run
};

// "2/3 seeds, epoch 4/10", "0/3 seeds", "1/3 seeds, 1 failed, epoch 2/10".
std::string format_progress(const Progress& progress);

// Throws std::invalid_argument when a row's cell count differs from the column count (naming the group
// and row), so a builder bug fails loudly instead of shifting columns.
void check_shape(const Table& table);

// True when any cell of the table is marked best (renderers then add a legend note).
bool has_best(const Table& table);
// True when any cell of the table is marked as differing from its reference.
bool has_differs(const Table& table);

}  // namespace ablate::results
