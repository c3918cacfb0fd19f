#include "runner/number_format.h"

#include <fmt/format.h>

namespace ablate::runner {

std::string group_thousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return value < 0 ? "-" + digits : digits;
}

std::string gmacs(int64_t macs) { return fmt::format("{:.3f}", static_cast<double>(macs) / 1e9); }

std::string blocks_text(const std::vector<int64_t>& blocks) {
  std::string text;
  for (int64_t n : blocks) text += (text.empty() ? "" : ", ") + std::to_string(n);
  return "[" + text + "]";
}

}  // namespace ablate::runner
