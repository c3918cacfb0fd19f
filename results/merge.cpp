#include "results/merge.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "results/schema.h"
#include "results/sqlite.h"
#include "results/store.h"

namespace ablate::results {

namespace fs = std::filesystem;

namespace {

// A temporary upgraded copy of an input with an older schema; removed when done.
class UpgradedCopy {
 public:
  explicit UpgradedCopy(Connection& input) {
    static int counter = 0;
    path_ = (fs::temp_directory_path() /
             fmt::format("ablate-merge-{}-{}.db", static_cast<long>(getpid()), counter++))
                .string();
    fs::remove(path_);
    auto vacuum = input.prepare("VACUUM INTO ?");
    vacuum.bind(1, path_);
    vacuum.run();
    Connection copy(path_, OpenMode::ReadWrite);
    copy.set_busy_timeout(input.busy_timeout());
    migrate(copy);
  }
  ~UpgradedCopy() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  UpgradedCopy(const UpgradedCopy&) = delete;
  UpgradedCopy& operator=(const UpgradedCopy&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Checks an input before anything is written: exists, is not the output, is an intact ablate store of
// a version we can read. Returns the upgraded copy when its schema is older.
std::unique_ptr<UpgradedCopy> vet_input(const std::string& input_path, const std::string& output_path) {
  std::error_code error;
  if (!fs::is_regular_file(input_path, error)) {
    throw StoreError(fmt::format("merge input '{}' does not exist or is not a file", input_path));
  }
  if (fs::equivalent(input_path, output_path, error)) {
    throw StoreError(fmt::format("merge input '{}' is the output database itself", input_path));
  }
  auto input = std::make_unique<Connection>(input_path, OpenMode::ReadOnly);
  input->set_busy_timeout(std::chrono::seconds(30));
  std::string check;
  try {
    check = input->query_text("PRAGMA quick_check");
  } catch (const StoreError& error) {
    const int primary = error.sqlite_code() & 0xff;
    if (primary != SQLITE_NOTADB && primary != SQLITE_CORRUPT) throw;
    throw StoreError(fmt::format("merge input '{}' is corrupt or not an SQLite database", input_path),
                     error.sqlite_code());
  }
  if (check != "ok") {
    throw StoreError(fmt::format("merge input '{}' is corrupt: {}", input_path, check));
  }
  const int version = schema_version(*input);
  if (version > current_schema_version()) {
    throw StoreError(fmt::format(
        "merge input '{}' has schema version {}, newer than this ablate understands ({}); use a newer ablate",
        input_path, version, current_schema_version()));
  }
  if (version == 0) {
    throw StoreError(fmt::format("merge input '{}' is not an ablate results store", input_path));
  }
  if (version < current_schema_version()) return std::make_unique<UpgradedCopy>(*input);
  return nullptr;
}

// Columns of `runs` other than its row id, from the live schema so that future columns merge too.
// They are our own identifiers, never user input, so formatting them into SQL is safe.
std::string run_columns(Connection& connection) {
  Statement info = connection.prepare("SELECT name FROM pragma_table_info('runs') WHERE name != 'id' ORDER BY cid");
  std::string columns;
  while (info.step()) {
    if (!columns.empty()) columns += ", ";
    columns += '"' + info.column_text(0) + '"';
  }
  return columns;
}

struct Completeness {
  bool finished = false;
  int64_t epochs = 0;
  bool operator>(const Completeness& other) const {
    if (finished != other.finished) return finished;
    return epochs > other.epochs;
  }
};

void merge_one(Connection& out, const std::string& attached_path, MergeReport& report) {
  {
    auto attach = out.prepare("ATTACH DATABASE ? AS merge_input");
    attach.bind(1, attached_path);
    attach.run();
  }
  // Detach whatever happens; a failed merge rolls back before this runs (Transaction below).
  struct Detach {
    Connection& connection;
    ~Detach() {
      try {
        connection.exec("DETACH DATABASE merge_input");
      } catch (...) {
      }
    }
  } detach{out};

  const std::string columns = run_columns(out);
  Transaction transaction(out);
  out.exec(
      "INSERT INTO main.experiments (name, title, source_path, source_text, created_at) "
      "SELECT name, title, source_path, source_text, created_at FROM merge_input.experiments WHERE true "
      "ON CONFLICT (name) DO UPDATE SET title = excluded.title, source_path = excluded.source_path, "
      "source_text = excluded.source_text WHERE title = ''");

  Statement input_runs = out.prepare(
      "SELECT r.id, r.run_key, r.status = 'finished', "
      "(SELECT MAX(m.epoch) FROM merge_input.metrics m WHERE m.run_id = r.id) "
      "FROM merge_input.runs r ORDER BY r.id");
  Statement find_output = out.prepare(
      "SELECT r.id, r.status = 'finished', (SELECT MAX(m.epoch) FROM main.metrics m WHERE m.run_id = r.id) "
      "FROM main.runs r WHERE r.run_key = ?");
  Statement insert_run = out.prepare(
      fmt::format("INSERT INTO main.runs ({0}) SELECT {0} FROM merge_input.runs WHERE id = ?", columns));
  Statement replace_run = out.prepare(
      fmt::format("UPDATE main.runs SET ({0}) = (SELECT {0} FROM merge_input.runs WHERE id = ?1) WHERE id = ?2",
                  columns));
  Statement drop_metrics = out.prepare("DELETE FROM main.metrics WHERE run_id = ?");
  Statement copy_metrics = out.prepare(
      "INSERT INTO main.metrics (run_id, epoch, name, value) "
      "SELECT ?1, epoch, name, value FROM merge_input.metrics WHERE run_id = ?2");

  while (input_runs.step()) {
    const int64_t input_id = input_runs.column_int64(0);
    const Completeness incoming{input_runs.column_int64(2) != 0, input_runs.column_int64(3)};
    find_output.reset();
    find_output.bind(1, input_runs.column_text(1));
    int64_t output_id = 0;
    if (find_output.step()) {
      output_id = find_output.column_int64(0);
      const Completeness existing{find_output.column_int64(1) != 0, find_output.column_int64(2)};
      if (!(incoming > existing)) {
        ++report.runs_kept;
        continue;
      }
      find_output.reset();
      replace_run.reset();
      replace_run.bind(1, input_id).bind(2, output_id);
      replace_run.run();
      drop_metrics.reset();
      drop_metrics.bind(1, output_id);
      drop_metrics.run();
      ++report.runs_replaced;
    } else {
      find_output.reset();
      insert_run.reset();
      insert_run.bind(1, input_id);
      insert_run.run();
      output_id = out.last_insert_rowid();
      ++report.runs_added;
    }
    copy_metrics.reset();
    copy_metrics.bind(1, output_id).bind(2, input_id);
    copy_metrics.run();
    report.metric_rows_copied += out.changes();
  }
  input_runs.reset();
  transaction.commit();
}

}  // namespace

namespace {

// A scratch store in the temp folder that the inputs are merged into first; removed when done.
class ScratchStore {
 public:
  ScratchStore() {
    static int counter = 0;
    path_ = (fs::temp_directory_path() /
             fmt::format("ablate-merge-{}-{}-all.db", static_cast<long>(getpid()), counter++))
                .string();
    remove_files();
  }
  ~ScratchStore() { remove_files(); }
  ScratchStore(const ScratchStore&) = delete;
  ScratchStore& operator=(const ScratchStore&) = delete;
  const std::string& path() const { return path_; }

 private:
  void remove_files() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix, ignored);
  }
  std::string path_;
};

void check_integrity(Connection& connection, const std::string& what) {
  const std::string integrity = connection.query_text("PRAGMA integrity_check");
  if (integrity != "ok") throw StoreError(fmt::format("{} fails integrity_check: {}", what, integrity));
  Statement foreign_keys = connection.prepare("PRAGMA foreign_key_check");
  if (foreign_keys.step()) {
    throw StoreError(fmt::format("{} fails foreign_key_check (table {})", what, foreign_keys.column_text(0)));
  }
}

}  // namespace

MergeReport merge_databases(const std::string& output_path, const std::vector<std::string>& input_paths) {
  if (input_paths.empty()) throw StoreError("merge needs at least one input database");
  if (output_path.empty()) throw StoreError("merge output: the results database path is empty");
  // Every input is vetted before the output is even created.
  std::vector<std::unique_ptr<UpgradedCopy>> upgraded;
  for (const std::string& input_path : input_paths) upgraded.push_back(vet_input(input_path, output_path));

  // The inputs go into a scratch copy of the output first (one transaction each; the report counts
  // there), and only the result, checked, goes into the output, in one transaction: an input that fails
  // half-way leaves the output as it was. (Renaming the finished copy over the output would do the same,
  // but would also drop the writes of a runner that has the output open meanwhile; the final merge keeps
  // whichever copy of a run is more complete, theirs included.)
  ScratchStore scratch;
  MergeReport report;
  {
    std::error_code error;
    if (fs::exists(output_path, error)) {
      Store existing = Store::open(output_path);  // refuses a foreign, newer or damaged output up front
      Statement copy = existing.connection().prepare("VACUUM INTO ?");
      copy.bind(1, scratch.path());
      copy.run();
    }
    Store merged = Store::open(scratch.path());
    for (size_t i = 0; i < input_paths.size(); ++i) {
      try {
        merge_one(merged.connection(), upgraded[i] ? upgraded[i]->path() : input_paths[i], report);
      } catch (const StoreError& error) {
        throw StoreError(fmt::format("merging '{}' into '{}': {}; '{}' is unchanged", input_paths[i], output_path,
                                     error.what(), output_path),
                         error.sqlite_code());
      }
    }
    check_integrity(merged.connection(), fmt::format("the merge of {} input(s)", input_paths.size()));
  }

  std::error_code error;
  const bool output_existed = fs::exists(output_path, error);
  try {
    Store output = Store::open(output_path);
    MergeReport applied;
    merge_one(output.connection(), scratch.path(), applied);
    check_integrity(output.connection(), fmt::format("merged database '{}'", output_path));
  } catch (...) {
    if (!output_existed) {
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(output_path + suffix, error);
    }
    throw;
  }
  return report;
}

}  // namespace ablate::results
