#include "results/table_model.h"

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

Cell interval_cell(double low, double high, int decimals) {
  Cell cell;
  cell.kind = CellKind::interval;
  cell.value = low;
  cell.high = high;
  cell.decimals = decimals;
  return cell;
}

Cell p_value_cell(double p) {
  Cell cell;
  cell.kind = CellKind::p_value;
  cell.value = p;
  cell.decimals = 3;
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

template <typename Predicate>
bool any_cell(const Table& table, Predicate predicate) {
  for (const RowGroup& group : table.groups) {
    for (const Row& row : group.rows) {
      for (const Cell& cell : row) {
        if (predicate(cell)) return true;
      }
    }
  }
  return false;
}

}  // namespace

bool has_best(const Table& table) {
  return any_cell(table, [](const Cell& cell) { return cell.best; });
}

bool has_differs(const Table& table) {
  return any_cell(table, [](const Cell& cell) { return cell.differs; });
}

}  // namespace ablate::results
