#pragma once
// How cell values read, shared by every table renderer so the formats print the same digits.

#include <string>

#include "results/table_model.h"

namespace ablate::results {

// Fixed-point with `decimals` digits; never "-0.00"; "+" in front of positive values when show_sign
// (and "+0.00" for zero); "nan"/"inf" for non-finite values so a broken metric shows.
std::string format_number(double value, int decimals, bool show_sign = false);

// A p-value with three decimals, "<0.001" below that; "nan" for NaN.
std::string format_p_value(double p);

// A cell as one line of plain text, `plus_minus` between mean and spread:
// estimate "22.20 ± 0.31 (3)", or "22.20 (1)" when the spread is unknown (one seed); number "+0.30";
// interval "[-1.20, +0.40]"; p_value "0.031" or "<0.001"; text and progress as given (single line);
// empty "".
std::string plain_cell_text(const Cell& cell, const std::string& plus_minus = "\xC2\xB1");

}  // namespace ablate::results
