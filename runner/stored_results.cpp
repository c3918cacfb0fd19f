#include "runner/stored_results.h"

#include <filesystem>
#include <stdexcept>

namespace ablate::runner {

results::Store open_stored_results(const std::string& db, const std::string& experiment) {
  std::error_code error;
  if (!db.empty() && db != ":memory:" && !std::filesystem::exists(db, error)) {
    throw std::runtime_error("results database '" + db + "' does not exist" +
                             (experiment.empty() ? std::string() : ": run the experiment first (ablate run " +
                                                                       experiment + ")"));
  }
  results::StoreOptions options;
  options.read_only = true;
  return results::Store::open(db, options);
}

}  // namespace ablate::runner
