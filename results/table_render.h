#pragma once
// Renderers of a Table (table_model.h). Every one escapes user text for its format and marks the best
// cell of each group: '*' in text, bold in Markdown and LaTeX (CSV carries plain data only).
// All throw std::invalid_argument for a table whose rows do not match its columns (check_shape).

#include <string>

#include "results/table_model.h"

namespace ablate::results {

enum class TableFormat { text, markdown, latex, csv };

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
// estimate columns split into value, spread and n. No title or notes: this is data.
std::string render_csv(const Table& table);

std::string render_table(const Table& table, TableFormat format);

}  // namespace ablate::results
