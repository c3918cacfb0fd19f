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

}  // namespace ablate::config::testing
