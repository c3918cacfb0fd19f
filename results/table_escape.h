#pragma once
// Escaping of user text (experiment titles, variant names, group labels all come from YAML) for each
// table format, so no name can break a table's structure or inject markup.

#include <cstddef>
#include <string>

namespace ablate::results {

// Control characters (newline, tab, ESC of terminal colour codes, ...) become spaces: cells are one line.
std::string single_line(const std::string& text);

// Columns a string occupies on a terminal: UTF-8 code points ("±" is one column, two bytes).
std::size_t display_width(const std::string& text);

// LaTeX text mode: escapes _ % & # $ { } ~ ^ \ (and < > | which render wrongly in OT1), maps ± and ×
// to math symbols; the result is one line.
std::string latex_escape(const std::string& text);

// GitHub-flavoured Markdown table cell: escapes \ | ` * _ [ ] < > so a name neither ends its cell nor
// turns into emphasis, code or a link; the result is one line.
std::string markdown_escape(const std::string& text);

// RFC 4180 field: quoted when it contains a comma, double quote, CR or LF; quotes doubled.
std::string csv_field(const std::string& text);

// Text (never a number) bound for a CSV cell: a leading = + - @ (or tab/CR) would make a spreadsheet
// evaluate the cell as a formula (CSV injection), so such text gets a leading apostrophe, which
// spreadsheets show as plain text. Numbers are written by format_number and must not pass through here:
// "-0.10" is data.
std::string csv_text(const std::string& text);

}  // namespace ablate::results
