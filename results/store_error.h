#pragma once
// The one exception type of the results store. Its message always names the database file (and, for
// SQL failures, SQLite's own message and the statement), so the runner can print it as its one-line
// `ablate: error: ...` and exit with status 2.

#include <stdexcept>
#include <string>

namespace ablate::results {

class StoreError : public std::runtime_error {
 public:
  // sqlite_code: SQLite's extended result code when SQLite reported the failure, 0 otherwise.
  explicit StoreError(const std::string& message, int sqlite_code = 0)
      : std::runtime_error(message), sqlite_code_(sqlite_code) {}
  int sqlite_code() const { return sqlite_code_; }

 private:
  int sqlite_code_;
};

// This process no longer holds the run it was writing: another runner took it over (its heartbeat was
// presumed dead) or someone marked it killed. Not a failure of the run: the caller stops working on it
// and leaves it to whoever holds it now.
class LostRunError : public StoreError {
 public:
  using StoreError::StoreError;
};

}  // namespace ablate::results
