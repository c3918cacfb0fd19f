#include "results/table_format.h"

#include <cmath>

#include <fmt/format.h>

#include "results/table_escape.h"

namespace ablate::results {

std::string format_number(double value, int decimals, bool show_sign) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? (show_sign ? "+inf" : "inf") : "-inf";
  std::string text = fmt::format("{:.{}f}", value, decimals < 0 ? 0 : decimals);
  // A value that rounds to zero prints as zero whatever its sign.
  if (text.front() == '-' && text.find_first_of("123456789") == std::string::npos) text.erase(0, 1);
  if (show_sign && text.front() != '-') text.insert(0, "+");
  return text;
}

std::string format_p_value(double p) {
  if (std::isnan(p)) return "nan";
  if (p < 0.001) return "<0.001";
  return fmt::format("{:.3f}", p);
}

std::string plain_cell_text(const Cell& cell, const std::string& plus_minus) {
  switch (cell.kind) {
    case CellKind::empty: return "";
    case CellKind::text:
    case CellKind::progress: return single_line(cell.text);
    case CellKind::number: return format_number(cell.value, cell.decimals, cell.show_sign);
    case CellKind::interval:
      return "[" + format_number(cell.value, cell.decimals, true) + ", " + format_number(cell.high, cell.decimals, true) +
             "]";
    case CellKind::p_value: return format_p_value(cell.value);
    case CellKind::estimate: {
      std::string text = format_number(cell.value, cell.decimals);
      if (std::isfinite(cell.spread)) text += " " + plus_minus + " " + format_number(cell.spread, cell.decimals);
      return text + fmt::format(" ({})", cell.n);
    }
  }
  return "";
}

}  // namespace ablate::results
