#pragma once
// Number spellings shared by the runner's human-readable output.

#include <cstdint>
#include <string>

namespace ablate::runner {

// 25557032 -> "25,557,032"
std::string group_thousands(int64_t value);

// 4089184256 MACs -> "4.089" (GMACs, 3 decimals, the paper's and torchvision's precision)
std::string gmacs(int64_t macs);

}  // namespace ablate::runner
