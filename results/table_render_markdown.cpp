// GitHub-flavoured Markdown. Cells are padded so the source reads as a table too.
#include <algorithm>
#include <string>
#include <vector>

#include "results/table_escape.h"
#include "results/table_format.h"
#include "results/table_render.h"

namespace ablate::results {
namespace {

std::string markdown_cell(const Cell& cell) {
  std::string text = markdown_escape(plain_cell_text(cell));
  if (cell.kind == CellKind::progress && !text.empty()) text = "*" + text + "*";
  if (cell.best && !text.empty()) text = "**" + text + "**";
  if (cell.differs && !text.empty()) text += std::string(" ") + kDifferenceMark;
  return text;
}

std::string pad(const std::string& text, std::size_t width, Align align) {
  const std::size_t used = display_width(text);
  const std::string fill(width > used ? width - used : 0, ' ');
  return align == Align::left ? text + fill : fill + text;
}

}  // namespace

std::string render_markdown(const Table& table) {
  check_shape(table);
  const std::size_t columns = table.columns.size();

  // Every printed row, group labels included, so widths cover them all.
  struct Line {
    std::vector<std::string> cells;
  };
  std::vector<Line> body;
  for (const RowGroup& group : table.groups) {
    if (!group.label.empty()) {
      Line label{std::vector<std::string>(columns)};
      if (columns > 0) label.cells[0] = "*" + markdown_escape(group.label) + "*";
      body.push_back(label);
    }
    for (const Row& row : group.rows) {
      Line line;
      for (const Cell& cell : row) line.cells.push_back(markdown_cell(cell));
      body.push_back(line);
    }
  }
  std::vector<std::string> header;
  std::vector<std::size_t> widths(columns, 3);  // "---" is the shortest delimiter
  for (std::size_t c = 0; c < columns; ++c) {
    header.push_back(markdown_escape(table.columns[c].header));
    widths[c] = std::max(widths[c], display_width(header[c]));
    for (const Line& line : body) widths[c] = std::max(widths[c], display_width(line.cells[c]));
  }

  auto row_line = [&](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (std::size_t c = 0; c < columns; ++c) out += " " + pad(cells[c], widths[c], table.columns[c].align) + " |";
    return out + "\n";
  };

  std::string out;
  if (!table.title.empty()) out += "**" + markdown_escape(table.title) + "**\n\n";
  out += row_line(header);
  out += "|";
  for (std::size_t c = 0; c < columns; ++c) {
    const bool right = table.columns[c].align == Align::right;
    out += right ? " " + std::string(widths[c] - 1, '-') + ": |" : " :" + std::string(widths[c] - 1, '-') + " |";
  }
  out += "\n";
  for (const Line& line : body) out += row_line(line.cells);
  const bool marked = has_best(table) || has_differs(table);
  if (marked || !table.notes.empty()) out += "\n";
  if (has_best(table)) out += std::string("Bold: ") + kBestLegend + ".";
  if (has_differs(table)) out += std::string(out.back() == '\n' ? "" : " ") + kDifferenceMark + ": " + kDifferenceLegend + ".";
  for (const std::string& note : table.notes) {
    if (out.back() != '\n') out += " ";
    out += markdown_escape(note);
  }
  if (out.back() != '\n') out += "\n";
  return out;
}

}  // namespace ablate::results
