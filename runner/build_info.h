#pragma once
// The git state ablate was built from, embedded when it was built (cmake/build_info.cmake writes its
// definition into the build folder at every build, touching it only when the state changed). Runs record
// it as the code that produced their numbers: the source tree may have moved on since the build.

#include <string>

#include "results/provenance.h"

namespace ablate::runner {

// {commit, dirty} of the source tree at build time; {"", false} when it was not a git checkout.
results::GitState build_git_state();

}  // namespace ablate::runner
