// RFC 4180 CSV for spreadsheets and pandas: plain numbers, estimates split into value, spread and n,
// intervals into low and high.
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "results/table_escape.h"
#include "results/table_format.h"
#include "results/table_render.h"

namespace ablate::results {
namespace {

constexpr const char* kLineEnd = "\r\n";

std::string join(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i == 0 ? "" : ",") + csv_field(fields[i]);
  return out + kLineEnd;
}

// Data, not presentation: no "+" on differences.
std::string csv_value(const Cell& cell) {
  if (cell.kind == CellKind::number) return format_number(cell.value, cell.decimals);
  // Small p-values keep their digits (the text formats print "<0.001").
  if (cell.kind == CellKind::p_value) return fmt::format("{:.4g}", cell.value);
  if (cell.kind == CellKind::text || cell.kind == CellKind::progress) return csv_text(cell.text);
  return plain_cell_text(cell);
}

}  // namespace

std::string render_csv(const Table& table) {
  check_shape(table);
  bool labelled = false;
  for (const RowGroup& group : table.groups) labelled = labelled || !group.label.empty();

  std::vector<std::string> header;
  if (labelled) header.push_back("group");
  for (const Column& column : table.columns) {
    header.push_back(csv_text(column.header));
    if (!column.spread_label.empty()) {
      header.push_back(csv_text(column.header + " " + column.spread_label));
      header.push_back(csv_text(column.header + " n"));
    } else if (column.interval) {
      header.back() = csv_text(column.header + " low");
      header.push_back(csv_text(column.header + " high"));
    }
  }
  std::string out = join(header);
  for (const RowGroup& group : table.groups) {
    for (const Row& row : group.rows) {
      std::vector<std::string> fields;
      if (labelled) fields.push_back(csv_text(group.label));
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const Cell& cell = row[c];
        if (table.columns[c].interval) {
          const bool known = cell.kind == CellKind::interval;
          fields.push_back(known ? format_number(cell.value, cell.decimals) : csv_value(cell));
          fields.push_back(known ? format_number(cell.high, cell.decimals) : "");
        } else if (table.columns[c].spread_label.empty()) {
          fields.push_back(csv_value(cell));
        } else if (cell.kind == CellKind::estimate) {
          fields.push_back(format_number(cell.value, cell.decimals));
          fields.push_back(std::isfinite(cell.spread) ? format_number(cell.spread, cell.decimals) : "");
          fields.push_back(fmt::format("{}", cell.n));
        } else {
          // A progress note (or nothing) where the estimate will be; spread and n stay empty.
          fields.push_back(csv_value(cell));
          fields.push_back("");
          fields.push_back("");
        }
      }
      out += join(fields);
    }
  }
  return out;
}

}  // namespace ablate::results
