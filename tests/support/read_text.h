#pragma once
// The whole content of a file, "" when it cannot be read: what tests compare scripts, reports and logs by.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ablate::testing {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace ablate::testing
