#include "results/sqlite.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <utility>

namespace ablate::results {

namespace {

bool is_busy(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// Error messages are one short line: multi-line SQL (the schema) is folded onto one, and a long
// statement is cut, since the message says what failed and the statement only hints where.
std::string one_line(std::string_view sql) {
  constexpr size_t kMaxShown = 80;
  std::string line;
  bool space = false;
  for (const char c : sql) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  if (line.size() > kMaxShown) {
    line.resize(kMaxShown);
    line += "...";
  }
  return line;
}

// "file:" URI of a path (RFC 3986 escapes for the characters SQLite's URI parser treats specially).
std::string file_uri(const std::string& path) {
  std::string uri = "file:";
  for (const unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f) {
      uri += fmt::format("%{:02X}", c);
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Connection& connection, std::string_view sql) : connection_(&connection), sql_(sql) {
  const char* tail = nullptr;
  const int code = sqlite3_prepare_v3(connection.handle(), sql_.data(), static_cast<int>(sql_.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement_, &tail);
  if (code != SQLITE_OK) {
    sqlite3_finalize(statement_);
    statement_ = nullptr;
    fail(code, "cannot prepare");
  }
}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_), statement_(std::exchange(other.statement_, nullptr)),
      sql_(std::move(other.sql_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    connection_ = other.connection_;
    statement_ = std::exchange(other.statement_, nullptr);
    sql_ = std::move(other.sql_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::fail(int code, const char* what) const {
  throw StoreError(connection_->describe_error(code, fmt::format("{} `{}`", what, one_line(sql_))), code);
}

Statement& Statement::bind(int index, int64_t value) {
  const int code = sqlite3_bind_int64(statement_, index, value);
  if (code != SQLITE_OK) fail(code, fmt::format("cannot bind parameter {} of", index).c_str());
  return *this;
}

Statement& Statement::bind(int index, double value) {
  const int code =
      std::isnan(value) ? sqlite3_bind_null(statement_, index) : sqlite3_bind_double(statement_, index, value);
  if (code != SQLITE_OK) fail(code, fmt::format("cannot bind parameter {} of", index).c_str());
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's string may die before step().
  const int code = sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                       SQLITE_UTF8);
  if (code != SQLITE_OK) fail(code, fmt::format("cannot bind parameter {} of", index).c_str());
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int code = sqlite3_bind_null(statement_, index);
  if (code != SQLITE_OK) fail(code, fmt::format("cannot bind parameter {} of", index).c_str());
  return *this;
}

int Statement::parameter_index(const char* name) const {
  const int index = sqlite3_bind_parameter_index(statement_, name);
  if (index == 0) fail(SQLITE_RANGE, fmt::format("no parameter named '{}' in", name).c_str());
  return index;
}

bool Statement::step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  // The statement must not keep its snapshot (or half a write) after a failure.
  sqlite3_reset(statement_);
  fail(code, "cannot run");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

int64_t Statement::column_int64(int column) const { return sqlite3_column_int64(statement_, column); }

double Statement::column_double(int column) const {
  if (is_null(column)) return std::nan("");
  return sqlite3_column_double(statement_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  const int size = sqlite3_column_bytes(statement_, column);
  return text ? std::string(text, static_cast<size_t>(size)) : std::string();
}

// ---------------------------------------------------------------------------------------------------
// Connection

Connection::Connection(const std::string& path, OpenMode mode) : path_(path) {
  int flags = SQLITE_OPEN_NOMUTEX;  // one Connection per thread: SQLite's own mutexes are not needed
  std::string name = path;
  switch (mode) {
    case OpenMode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case OpenMode::ReadOnlyImmutable:
      flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
      name = file_uri(path) + "?immutable=1";
      break;
    case OpenMode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case OpenMode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  const int code = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (code != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    close();
    throw StoreError(fmt::format("results database '{}': cannot open: {}", path, message), code);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::Connection(InMemoryCopy, Connection& source) : Connection(":memory:", OpenMode::ReadWriteCreate) {
  path_ = source.path();
  sqlite3_backup* backup = sqlite3_backup_init(db_, "main", source.handle(), "main");
  if (backup == nullptr) {
    const int code = sqlite3_errcode(db_);
    throw StoreError(describe_error(code, "cannot copy into memory"), code);
  }
  const int stepped = sqlite3_backup_step(backup, -1);
  const int code = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE || code != SQLITE_OK) {
    const int failure = stepped != SQLITE_DONE ? stepped : code;
    throw StoreError(source.describe_error(failure, "cannot copy into memory"), failure);
  }
}

Connection::~Connection() { close(); }

void Connection::close() noexcept {
  cache_.clear();  // statements must be finalized before the handle closes
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

std::string Connection::describe_error(int code, std::string_view what) const {
  const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
  const std::string generic = sqlite3_errstr(code);
  if (message == generic) return fmt::format("results database '{}': {}: {}", path_, what, message);
  return fmt::format("results database '{}': {}: {} ({})", path_, what, message, generic);
}

void Connection::exec(const std::string& sql) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    throw StoreError(fmt::format("results database '{}': {} (while running `{}`)", path_, message, one_line(sql)), code);
  }
}

StatementLease Connection::statement(const std::string& sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    found = cache_.emplace(sql, std::make_unique<Statement>(*this, sql)).first;
  }
  return StatementLease(*found->second);
}

int64_t Connection::query_int64(const std::string& sql) {
  Statement statement(*this, sql);
  if (!statement.step()) {
    throw StoreError(fmt::format("results database '{}': `{}` returned no row", path_, sql));
  }
  return statement.column_int64(0);
}

std::string Connection::query_text(const std::string& sql) {
  Statement statement(*this, sql);
  if (!statement.step()) {
    throw StoreError(fmt::format("results database '{}': `{}` returned no row", path_, sql));
  }
  return statement.column_text(0);
}

void Connection::set_busy_timeout(std::chrono::milliseconds timeout) {
  sqlite3_busy_timeout(db_, static_cast<int>(timeout.count()));
  busy_timeout_ = timeout;
}

int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Connection::changes() const { return sqlite3_changes(db_); }
bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

// ---------------------------------------------------------------------------------------------------
// Transaction

void retry_while_busy(std::chrono::milliseconds budget, const std::function<void()>& attempt) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    try {
      attempt();
      return;
    } catch (const StoreError& error) {
      if (!is_busy(error.sqlite_code()) || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

Transaction::Transaction(Connection& connection, TransactionKind kind) : connection_(connection) {
  const char* begin = kind == TransactionKind::Exclusive ? "BEGIN EXCLUSIVE" : "BEGIN IMMEDIATE";
  retry_while_busy(connection.busy_timeout(), [&] { connection_.statement(begin)->run(); });
  open_ = true;
}

Transaction::~Transaction() {
  if (!open_ || !connection_.in_transaction()) return;
  // Never throws: a failed rollback leaves SQLite to roll back when the connection closes.
  sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  // COMMIT can be busy in rollback-journal mode (readers still active); WAL commits do not wait.
  retry_while_busy(connection_.busy_timeout(), [&] { connection_.statement("COMMIT")->run(); });
  open_ = false;
}

}  // namespace ablate::results
