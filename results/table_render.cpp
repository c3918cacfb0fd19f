#include "results/table_render.h"

#include <stdexcept>

namespace ablate::results {

const char* to_string(TableFormat format) {
  switch (format) {
    case TableFormat::text: return "text";
    case TableFormat::markdown: return "md";
    case TableFormat::latex: return "latex";
    case TableFormat::csv: return "csv";
  }
  return "?";
}

TableFormat parse_table_format(const std::string& name) {
  if (name == "text") return TableFormat::text;
  if (name == "md" || name == "markdown") return TableFormat::markdown;
  if (name == "latex" || name == "tex") return TableFormat::latex;
  if (name == "csv") return TableFormat::csv;
  throw std::invalid_argument("unknown table format '" + name + "' (expected text, md, latex or csv)");
}

std::string render_table(const Table& table, TableFormat format) {
  switch (format) {
    case TableFormat::text: return render_text(table);
    case TableFormat::markdown: return render_markdown(table);
    case TableFormat::latex: return render_latex(table);
    case TableFormat::csv: return render_csv(table);
  }
  throw std::invalid_argument("unknown table format");
}

}  // namespace ablate::results
