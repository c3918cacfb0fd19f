// Terminal text: columns padded to their widest cell, counted in display columns (UTF-8 aware).
#include <algorithm>
#include <string>
#include <vector>

#include "results/table_escape.h"
#include "results/table_format.h"
#include "results/table_render.h"

namespace ablate::results {
namespace {

constexpr const char* kGap = "  ";

std::string pad(const std::string& text, std::size_t width, Align align) {
  const std::size_t used = display_width(text);
  const std::string fill(width > used ? width - used : 0, ' ');
  return align == Align::left ? text + fill : fill + text;
}

std::string rstrip(std::string line) {
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

}  // namespace

std::string render_text(const Table& table) {
  check_shape(table);
  const std::size_t columns = table.columns.size();

  // A column with marks gets a mark slot in every row (a space where unmarked), so right-aligned
  // numbers stay lined up beside marked ones.
  std::vector<bool> column_has_best(columns, false);
  std::vector<bool> column_has_differs(columns, false);
  for (const RowGroup& group : table.groups) {
    for (const Row& row : group.rows) {
      for (std::size_t c = 0; c < columns; ++c) {
        column_has_best[c] = column_has_best[c] || row[c].best;
        column_has_differs[c] = column_has_differs[c] || row[c].differs;
      }
    }
  }
  auto cell_text = [&](const Cell& cell, std::size_t c) {
    std::string text = plain_cell_text(cell);
    if (column_has_best[c] || column_has_differs[c]) text += " ";
    if (column_has_differs[c]) text += cell.differs ? kDifferenceMark : " ";
    if (column_has_best[c]) text += cell.best ? "*" : " ";
    return text;
  };

  std::vector<std::size_t> widths(columns, 0);
  for (std::size_t c = 0; c < columns; ++c) widths[c] = display_width(single_line(table.columns[c].header));
  for (const RowGroup& group : table.groups) {
    for (const Row& row : group.rows) {
      for (std::size_t c = 0; c < columns; ++c) widths[c] = std::max(widths[c], display_width(cell_text(row[c], c)));
    }
  }

  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < columns; ++c) {
      if (c > 0) out += kGap;
      out += pad(cells[c], widths[c], table.columns[c].align);
    }
    return rstrip(out) + "\n";
  };

  std::string out;
  if (!table.title.empty()) out += single_line(table.title) + "\n\n";
  std::vector<std::string> header;
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < columns; ++c) {
    header.push_back(single_line(table.columns[c].header));
    rule.push_back(std::string(widths[c], '-'));
  }
  out += line(header);
  out += line(rule);
  bool first_group = true;
  for (const RowGroup& group : table.groups) {
    if (!first_group) out += "\n";
    first_group = false;
    if (!group.label.empty()) out += single_line(group.label) + "\n";
    for (const Row& row : group.rows) {
      std::vector<std::string> cells;
      for (std::size_t c = 0; c < columns; ++c) cells.push_back(cell_text(row[c], c));
      out += line(cells);
    }
  }
  const bool marked = has_best(table) || has_differs(table);
  if (marked || !table.notes.empty()) out += "\n";
  if (has_best(table)) out += std::string("* ") + kBestLegend + "\n";
  if (has_differs(table)) out += std::string(kDifferenceMark) + " " + kDifferenceLegend + "\n";
  for (const std::string& note : table.notes) out += single_line(note) + "\n";
  return out;
}

}  // namespace ablate::results
