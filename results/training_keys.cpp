#include "results/training_keys.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/run_spec_json.h"
#include "results/sqlite.h"

namespace ablate::results {

int fill_training_keys(Connection& connection) {
  struct Row {
    int64_t id;
    std::string run_key, config_json;
  };
  // Read first, then write: updating the column the query filters on (and is indexed by) while stepping
  // through it could skip or revisit rows.
  std::vector<Row> rows;
  {
    Statement select = connection.prepare("SELECT id, run_key, config_json FROM runs WHERE training_key = ''");
    while (select.step()) rows.push_back({select.column_int64(0), select.column_text(1), select.column_text(2)});
  }
  Statement update = connection.prepare("UPDATE runs SET training_key = ? WHERE id = ?");
  int filled = 0;
  for (const Row& row : rows) {
    config::RunSpec spec;
    try {
      spec = config::run_spec_from_json(nlohmann::json::parse(row.config_json));
    } catch (const std::exception&) {
      continue;  // not a RunSpec's JSON: its training is unknown
    }
    // A config that no longer hashes to its run's key was written by another canonical format: what it
    // trained is not what this build would train.
    if (spec.run_key != row.run_key) continue;
    update.reset();
    update.bind(1, spec.training_key).bind(2, row.id);
    update.run();
    ++filled;
  }
  return filled;
}

}  // namespace ablate::results
