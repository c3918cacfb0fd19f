#pragma once
// Pieces every figure script shares (internal to plots/): terminal and output, titles, colours and
// inline data blocks.

#include <cstddef>
#include <string>
#include <vector>

#include "plots/figure.h"

namespace ablate::plots::detail {

// Colour-blind-safe palette (Okabe-Ito, then darker extras), cycling; a gnuplot string literal.
std::string series_colour(std::size_t index);

// Header comment, terminal (noenhanced: names like "a_b^c" print literally), output, encoding, font.
std::string script_preamble(const char* kind, const RenderOptions& options, const std::string& output_path);

// A title (and an optional second line) as a gnuplot string expression.
std::string title_expression(const std::string& title, const std::string& note);

// A light solid grid behind the data on `axes` ("" = both): gnuplot's default dotted grid all but vanishes
// at screen resolution.
std::string grid_command(const std::string& axes = "");

// `$name << EOD` ... `EOD` with one line per row; rows with a non-finite value in any of the first
// `required` columns are left out (a missing epoch or bar), other non-finite values become 0.
std::string data_block(const std::string& name, const std::string& columns_comment,
                       const std::vector<std::vector<double>>& rows, std::size_t required);

}  // namespace ablate::plots::detail
