#pragma once
// Number spellings shared by the runner's human-readable output.

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::runner {

// 25557032 -> "25,557,032"
std::string group_thousands(int64_t value);

// 4089184256 MACs -> "4.089" (GMACs, 3 decimals, the paper's and torchvision's precision)
std::string gmacs(int64_t macs);

// Blocks per stage {3, 4, 23, 3} -> "[3, 4, 23, 3]"
std::string blocks_text(const std::vector<int64_t>& blocks);

}  // namespace ablate::runner
