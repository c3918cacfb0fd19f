#pragma once
// Golden-file comparison for table and figure renderers. ABLATE_UPDATE_GOLDEN=1 rewrites the files
// (then inspect `git diff` before committing them); otherwise a missing or different file fails.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace ablate::testing {

inline bool update_golden() {
  const char* flag = std::getenv("ABLATE_UPDATE_GOLDEN");
  return flag != nullptr && std::string(flag) == "1";
}

// `relative` is under the source tree, e.g. "tests/results/golden/table3.md".
inline void expect_golden(const std::string& actual, const std::string& relative) {
  const std::string path = std::string(ABLATE_SOURCE_DIR) + "/" + relative;
  if (update_golden()) {
    std::ofstream out(path, std::ios::binary);
    out << actual;
    ASSERT_TRUE(out.good()) << "cannot write golden file " << path;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "golden file " << path << " is missing; rerun with ABLATE_UPDATE_GOLDEN=1";
  std::ostringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "output differs from " << path
                                    << " (ABLATE_UPDATE_GOLDEN=1 rewrites it after a deliberate change)";
}

}  // namespace ablate::testing
