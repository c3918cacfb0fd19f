#pragma once
// ablate's version, as `ablate --version` prints it and exported weights files record it.

namespace ablate::runner {

inline constexpr const char* kVersion = "0.1";

}  // namespace ablate::runner
