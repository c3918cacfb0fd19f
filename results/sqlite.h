#pragma once
// Thin RAII layer over the SQLite C API, in the spirit of SQLiteCpp: a Connection owns the database
// handle, a Statement owns one prepared statement, a Transaction rolls back unless committed. Every
// failure throws StoreError with the database path, SQLite's message and the SQL at fault. Values only
// ever enter SQL through bind(): there is no string-building API.

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "results/store_error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ablate::results {

enum class OpenMode {
  ReadOnly,         // never writes; a missing file is an error
  ReadOnlyImmutable,  // never writes and takes no locks: for a database nobody can be writing (a file in a
                      // read-only folder, whose WAL index SQLite could not create); a missing file is an error
  ReadWrite,        // a missing file is an error
  ReadWriteCreate,  // creates the file when missing
};

class Connection;

class Statement {
 public:
  Statement(Connection& connection, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  // Parameters are 1-based (?1, ?2 ...) or named (:name, @name, $name, with the prefix).
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);  // NaN binds as NULL (SQLite has no NaN)
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(const char* name, const T& value) {
    return bind(parameter_index(name), value);
  }
  int parameter_index(const char* name) const;  // throws when the statement has no such parameter

  // Advances: true when a row is available, false when done. Throws on any error.
  bool step();
  // Steps to completion, for statements that return no rows.
  void run();
  // Back to the start with every parameter unbound; never throws.
  void reset() noexcept;

  // Columns are 0-based. NULL reads as 0, NaN (doubles) or "".
  bool is_null(int column) const;
  int64_t column_int64(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;

  const std::string& sql() const { return sql_; }

 private:
  [[noreturn]] void fail(int code, const char* what) const;
  Connection* connection_;
  sqlite3_stmt* statement_ = nullptr;
  std::string sql_;
};

// A cached statement borrowed from a Connection; resets it (and so releases its read snapshot) when it
// goes out of scope, whatever happened meanwhile.
class StatementLease {
 public:
  explicit StatementLease(Statement& statement) : statement_(&statement) {}
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  ~StatementLease() { statement_->reset(); }
  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class Connection {
 public:
  // `path` may be ":memory:". Throws StoreError naming the path when the file cannot be opened.
  Connection(const std::string& path, OpenMode mode);
  // A private in-memory copy of `source`'s database (SQLite's online backup), named `source.path()` in
  // errors: a read-only reader migrates an older schema there instead of in the file.
  struct InMemoryCopy {};
  Connection(InMemoryCopy, Connection& source);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Not movable: statements keep a pointer to their connection.
  ~Connection();

  // Runs SQL without parameters (schema, pragmas); several statements allowed.
  void exec(const std::string& sql);
  // A fresh prepared statement owned by the caller.
  Statement prepare(std::string_view sql) { return Statement(*this, sql); }
  // The connection's own prepared statement for `sql`, prepared on first use and reused afterwards.
  StatementLease statement(const std::string& sql);
  // Runs a query whose first row's first column is an integer (e.g. "PRAGMA user_version").
  int64_t query_int64(const std::string& sql);
  std::string query_text(const std::string& sql);

  // SQLite waits up to `timeout` for another connection's lock before reporting busy.
  void set_busy_timeout(std::chrono::milliseconds timeout);
  std::chrono::milliseconds busy_timeout() const { return busy_timeout_; }

  int64_t last_insert_rowid() const;
  int changes() const;
  bool in_transaction() const;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  // "results/x.db: <sqlite message>" with the extended code, for error messages.
  std::string describe_error(int code, std::string_view what) const;

 private:
  void close() noexcept;
  sqlite3* db_ = nullptr;
  std::string path_;
  std::chrono::milliseconds busy_timeout_{0};
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

enum class TransactionKind {
  Immediate,  // takes the write lock at BEGIN: no deadlock and no SQLITE_BUSY_SNAPSHOT later
  Exclusive,  // also keeps out other readers in rollback-journal mode (in WAL it equals Immediate)
};

// BEGIN IMMEDIATE/EXCLUSIVE ... COMMIT. Waiting for the lock uses the busy timeout, then retries
// SQLITE_BUSY (which SQLite reports without waiting in a few WAL cases, e.g. during recovery) until
// the busy timeout has passed in total. The destructor rolls back an uncommitted transaction and never
// throws.
class Transaction {
 public:
  explicit Transaction(Connection& connection, TransactionKind kind = TransactionKind::Immediate);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& connection_;
  bool open_ = false;
};

// Runs `attempt` until it stops throwing SQLITE_BUSY/SQLITE_LOCKED, or until `budget` has passed in
// total; then rethrows. For statements whose busy errors bypass the busy handler (journal mode changes).
void retry_while_busy(std::chrono::milliseconds budget, const std::function<void()>& attempt);

}  // namespace ablate::results
