#pragma once
// Turning values into gnuplot source safely.

#include <string>

namespace ablate::plots {

// A gnuplot string literal that is drawn exactly as given and can execute nothing: single-quoted
// (gnuplot performs no backslash escapes, no `command` substitution and no @macro expansion inside
// single quotes), embedded quotes doubled (''), control characters (newline above all: it would end
// the command) replaced by spaces.
std::string gnuplot_quote(const std::string& text);

// A number for inline data: shortest round-trip form, '.' decimal point whatever the locale.
std::string gnuplot_number(double value);

// A /bin/sh single-quoted word, for paths on the gnuplot command line.
std::string shell_quote(const std::string& text);

}  // namespace ablate::plots
