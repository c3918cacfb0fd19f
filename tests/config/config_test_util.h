#pragma once
// Helpers for the config tests: each test writes its YAML into its own temporary directory.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/config/config_error.h"
#include "tests/support/temp_path.h"

namespace ablate::config::testing {

// A fresh folder for the running test, removed when the object goes away.
struct TempDir : ablate::testing::CaseTempDir {
  TempDir() : CaseTempDir("config") {}
};

// Runs `body`, expects a ConfigError, and returns its what() ("" when nothing was thrown).
template <typename Body>
std::string config_error_of(Body body) {
  try {
    body();
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return "";
}

// `text` with the first `from` replaced by `to`; a fixture whose `from` is missing fails the test (it would
// otherwise test the valid file).
inline std::string replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "fixture text not found: " << from;
    return text;
  }
  return text.replace(at, from.size(), to);
}

}  // namespace ablate::config::testing
