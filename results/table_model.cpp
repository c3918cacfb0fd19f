#include "results/table_model.h"

#include <cmath>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace ablate::results {

Cell empty_cell() { return Cell{}; }

Cell text_cell(std::string text) {
  Cell cell;
  cell.kind = CellKind::text;
  cell.text = std::move(text);
  return cell;
}

Cell number_cell(double value, int decimals, bool show_sign) {
  Cell cell;
  cell.kind = CellKind::number;
  cell.value = value;
  cell.decimals = decimals;
  cell.show_sign = show_sign;
  return cell;
}

Cell estimate_cell(double mean, double spread, int64_t n, int decimals) {
  Cell cell;
  cell.kind = CellKind::estimate;
  cell.value = mean;
  cell.spread = spread;
  cell.n = n;
  cell.decimals = decimals;
  return cell;
}

Cell progress_cell(std::string text) {
  Cell cell;
  cell.kind = CellKind::progress;
  cell.text = std::move(text);
  return cell;
}

std::string format_progress(const Progress& p) {
  std::string text = fmt::format("{}/{} seeds", p.seeds_finished, p.seeds_total);
  if (p.seeds_failed > 0) text += fmt::format(", {} failed", p.seeds_failed);
  if (p.epoch > 0) text += fmt::format(", epoch {}/{}", p.epoch, p.epochs);
  return text;
}

void check_shape(const Table& table) {
  for (std::size_t g = 0; g < table.groups.size(); ++g) {
    const RowGroup& group = table.groups[g];
    for (std::size_t r = 0; r < group.rows.size(); ++r) {
      if (group.rows[r].size() != table.columns.size()) {
        throw std::invalid_argument(fmt::format(
            "table '{}': group {} ('{}') row {} has {} cells, expected {} (one per column)", table.title, g,
            group.label, r, group.rows[r].size(), table.columns.size()));
      }
    }
  }
}

namespace {

bool competes(const Cell& cell) {
  return (cell.kind == CellKind::number || cell.kind == CellKind::estimate) && std::isfinite(cell.value);
}

// The value as the reader sees it, so 22.204 and 22.196 (both "22.20") tie.
double as_printed(const Cell& cell) {
  const double scale = std::pow(10.0, cell.decimals);
  return std::round(cell.value * scale) / scale;
}

}  // namespace

void mark_best(Table& table, std::size_t column, bool lower_is_better) {
  if (column >= table.columns.size()) {
    throw std::invalid_argument(fmt::format("table '{}': cannot mark best in column {}: it has {} columns",
                                            table.title, column, table.columns.size()));
  }
  check_shape(table);
  for (RowGroup& group : table.groups) {
    std::vector<Cell*> candidates;
    for (Row& row : group.rows) {
      if (competes(row[column])) candidates.push_back(&row[column]);
    }
    if (candidates.size() < 2) continue;
    double best = as_printed(*candidates.front());
    for (const Cell* cell : candidates) {
      const double v = as_printed(*cell);
      if (lower_is_better ? v < best : v > best) best = v;
    }
    for (Cell* cell : candidates) cell->best = as_printed(*cell) == best;
  }
}

bool has_best(const Table& table) {
  for (const RowGroup& group : table.groups) {
    for (const Row& row : group.rows) {
      for (const Cell& cell : row) {
        if (cell.best) return true;
      }
    }
  }
  return false;
}

}  // namespace ablate::results
