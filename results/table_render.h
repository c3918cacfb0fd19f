#pragma once
// Renderers of a Table (table_model.h). Every one escapes user text for its format and marks the best
// cell of each group ('*' in text, bold in Markdown and LaTeX) and the cells that differ from their
// reference beyond noise (a dagger), with a legend line for each mark used (CSV carries plain data only).
// All throw std::invalid_argument for a table whose rows do not match its columns (check_shape).

#include <string>

#include "results/table_model.h"

namespace ablate::results {

enum class TableFormat { text, markdown, latex, csv };

// The marks' legends, the same words in every format.
inline constexpr const char* kDifferenceMark = "\xE2\x80\xA0";  // dagger
inline constexpr const char* kBestLegend = "best in its group, apart from the runner-up beyond noise";
inline constexpr const char* kDifferenceLegend = "differs from its reference row beyond noise";

const char* to_string(TableFormat format);
// Accepts text, md (or markdown), latex (or tex), csv; throws std::invalid_argument naming the value.
TableFormat parse_table_format(const std::string& name);

// Aligned columns for a terminal: title, header, a rule, each group under its label, notes.
std::string render_text(const Table& table);
// A GitHub-flavoured Markdown table: bold title line, group labels as italic rows, padded columns.
std::string render_markdown(const Table& table);
// A booktabs `table` environment (\toprule/\midrule/\bottomrule) with the title and notes as caption;
// group labels span all columns. Needs \usepackage{booktabs} (said in a leading comment).
std::string render_latex(const Table& table);
// RFC 4180 with CRLF line ends: one header line, a leading "group" column when groups are labelled,
// estimate columns split into value, spread and n, interval columns into low and high. No title, notes
// or marks: this is data (the comparison columns carry the numbers the marks come from).
std::string render_csv(const Table& table);

std::string render_table(const Table& table, TableFormat format);

}  // namespace ablate::results
