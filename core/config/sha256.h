#pragma once
// SHA-256 (FIPS 180-4), for run keys: a stable hash of a canonical serialisation that any other tool
// (Python's hashlib, sha256sum) reproduces. Not used for anything secret.

#include <string>

namespace ablate::config {

// Lower-case hex digest (64 characters) of the bytes of `data`.
std::string sha256_hex(const std::string& data);

}  // namespace ablate::config
