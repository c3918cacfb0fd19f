#include "results/table_escape.h"

namespace ablate::results {

std::string single_line(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  return out;
}

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (char c : text) {
    // Count every byte that is not a UTF-8 continuation byte (10xxxxxx).
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string latex_escape(const std::string& text) {
  const std::string line = single_line(text);
  std::string out;
  out.reserve(line.size() + 8);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    switch (c) {
      case '_': out += "\\_"; break;
      case '%': out += "\\%"; break;
      case '&': out += "\\&"; break;
      case '#': out += "\\#"; break;
      case '$': out += "\\$"; break;
      case '{': out += "\\{"; break;
      case '}': out += "\\}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '^': out += "\\textasciicircum{}"; break;
      case '\\': out += "\\textbackslash{}"; break;
      case '<': out += "\\textless{}"; break;
      case '>': out += "\\textgreater{}"; break;
      case '|': out += "\\textbar{}"; break;
      default:
        if (line.compare(i, 2, "\xC2\xB1") == 0) {  // ±
          out += "\\ensuremath{\\pm}";
          ++i;
        } else if (line.compare(i, 2, "\xC3\x97") == 0) {  // ×
          out += "\\ensuremath{\\times}";
          ++i;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string markdown_escape(const std::string& text) {
  const std::string line = single_line(text);
  std::string out;
  out.reserve(line.size() + 8);
  for (char c : line) {
    switch (c) {
      case '\\': case '|': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_text(const std::string& text) {
  const bool formula_start = !text.empty() && std::string("=+-@\t\r").find(text.front()) != std::string::npos;
  return formula_start ? "'" + text : text;
}

}  // namespace ablate::results
