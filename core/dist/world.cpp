#include "core/dist/world.h"

#include <cstdlib>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

namespace ablate::dist {

namespace {

// Slurm's port range for the rendezvous when MASTER_PORT is not given.
constexpr int64_t kSlurmPortBase = 15000;
constexpr int64_t kSlurmPortSpan = 15000;

class Reader {
 public:
  Reader(const Environment& environment, std::string source) : environment_(environment), source_(std::move(source)) {}

  std::optional<std::string> text(const std::string& name) const {
    std::optional<std::string> value = environment_(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  }
  std::string required_text(const std::string& name) const {
    if (auto value = text(name)) return *value;
    throw std::invalid_argument(fmt::format("{}: {} is not set", source_, name));
  }
  std::optional<int64_t> integer(const std::string& name, int64_t minimum) const {
    const std::optional<std::string> value = text(name);
    if (!value) return std::nullopt;
    static const std::regex digits("[+]?[0-9]{1,18}");
    if (!std::regex_match(*value, digits) || std::stoll(*value) < minimum) {
      throw std::invalid_argument(
          fmt::format("{}: {}='{}': expected an integer >= {}", source_, name, *value, minimum));
    }
    return std::stoll(*value);
  }
  int64_t required_integer(const std::string& name, int64_t minimum) const {
    if (auto value = integer(name, minimum)) return *value;
    throw std::invalid_argument(fmt::format("{}: {} is not set", source_, name));
  }
  const std::string& source() const { return source_; }

 private:
  const Environment& environment_;
  std::string source_;
};

void check_ranks(const World& world, const std::string& rank_name, const std::string& size_name,
                 const std::string& local_name) {
  if (world.rank >= world.size) {
    throw std::invalid_argument(fmt::format("{}: {}={} is not below {}={}", world.source, rank_name, world.rank,
                                            size_name, world.size));
  }
  if (world.local_rank >= world.local_size) {
    throw std::invalid_argument(fmt::format("{}: {}={} is not below the {} processes of this machine", world.source,
                                            local_name, world.local_rank, world.local_size));
  }
}

void read_port(const Reader& reader, World& world) {
  if (!world.distributed()) return;
  const int64_t port = reader.required_integer("MASTER_PORT", 1);
  if (port > 65535) {
    throw std::invalid_argument(fmt::format("{}: MASTER_PORT={}: expected a TCP port (1-65535)", reader.source(), port));
  }
  world.master_port = port;
}

World torchrun_world(const Reader& reader) {
  World world;
  world.source = reader.source();
  world.size = reader.required_integer("WORLD_SIZE", 1);
  world.rank = reader.required_integer("RANK", 0);
  if (auto local_rank = reader.integer("LOCAL_RANK", 0)) {
    world.local_rank = *local_rank;
  } else if (world.distributed()) {
    reader.required_integer("LOCAL_RANK", 0);  // throws: not set
  }
  world.local_size = reader.integer("LOCAL_WORLD_SIZE", 1).value_or(std::max<int64_t>(world.local_rank + 1, 1));
  check_ranks(world, "RANK", "WORLD_SIZE", "LOCAL_RANK");
  if (world.distributed()) world.master_addr = reader.required_text("MASTER_ADDR");
  read_port(reader, world);
  const std::string agent = reader.text("TORCHELASTIC_USE_AGENT_STORE").value_or("");
  world.launcher_hosts_store = agent == "True" || agent == "true" || agent == "1";
  if (world.launcher_hosts_store) {
    world.store_prefix = agent_store_prefix(reader.integer("TORCHELASTIC_RESTART_COUNT", 0).value_or(0));
  }
  return world;
}

World slurm_world(const Reader& reader) {
  World world;
  world.source = reader.source();
  world.size = reader.required_integer("SLURM_STEP_NUM_TASKS", 1);
  world.rank = reader.required_integer("SLURM_PROCID", 0);
  world.local_rank = reader.integer("SLURM_LOCALID", 0).value_or(0);
  const char* per_node = reader.text("SLURM_STEP_TASKS_PER_NODE") ? "SLURM_STEP_TASKS_PER_NODE" : "SLURM_TASKS_PER_NODE";
  if (auto list = reader.text(per_node)) {
    const int64_t node = reader.integer("SLURM_NODEID", 0).value_or(0);
    try {
      world.local_size = slurm_tasks_on_node(*list, node);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("{}: {}='{}': {}", world.source, per_node, *list, e.what()));
    }
  } else {
    world.local_size = std::max<int64_t>(world.local_rank + 1, 1);
  }
  check_ranks(world, "SLURM_PROCID", "SLURM_STEP_NUM_TASKS", "SLURM_LOCALID");
  if (!world.distributed()) return world;
  if (auto address = reader.text("MASTER_ADDR")) {
    world.master_addr = *address;
  } else {
    const char* list_name = reader.text("SLURM_STEP_NODELIST") ? "SLURM_STEP_NODELIST" : "SLURM_JOB_NODELIST";
    const std::string list = reader.required_text(list_name);
    try {
      world.master_addr = first_slurm_host(list);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("{}: {}='{}': {}", world.source, list_name, list, e.what()));
    }
  }
  if (reader.text("MASTER_PORT")) {
    read_port(reader, world);
  } else {
    world.master_port = kSlurmPortBase + reader.required_integer("SLURM_JOB_ID", 0) % kSlurmPortSpan;
  }
  return world;
}

}  // namespace

Environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::optional<World> detect_world(const Environment& environment) {
  const Reader torchrun(environment, "torchrun environment");
  if (torchrun.text("RANK") || torchrun.text("WORLD_SIZE")) return torchrun_world(torchrun);
  const Reader slurm(environment, "srun environment");
  // srun sets SLURM_STEP_NUM_TASKS; a batch script outside srun has SLURM_PROCID=0 and SLURM_NTASKS of
  // the whole allocation, but it is one process.
  if (slurm.text("SLURM_PROCID") && slurm.text("SLURM_STEP_NUM_TASKS")) return slurm_world(slurm);
  return std::nullopt;
}

std::string agent_store_prefix(int64_t restart_count) { return "/worker/attempt_" + std::to_string(restart_count); }

std::string first_slurm_host(const std::string& nodelist) {
  // The first entry ends at the first comma outside brackets.
  static const std::regex first_entry(R"(([A-Za-z0-9._-]*)(\[([0-9]+)[^\]]*\])?([A-Za-z0-9._-]*)(,.*)?)");
  std::smatch match;
  if (nodelist.empty() || !std::regex_match(nodelist, match, first_entry) ||
      (match[1].length() == 0 && !match[2].matched)) {
    throw std::invalid_argument(fmt::format("'{}' is not a Slurm host list", nodelist));
  }
  // "gpu[07-09]" names gpu07 first: the range's first number keeps its zero padding.
  return match[1].str() + (match[2].matched ? match[3].str() : "") + match[4].str();
}

int64_t slurm_tasks_on_node(const std::string& tasks_per_node, int64_t node) {
  static const std::regex entry(R"(([0-9]+)(\(x([0-9]+)\))?)");
  int64_t first_node = 0;
  size_t start = 0;
  while (start <= tasks_per_node.size()) {
    const size_t comma = tasks_per_node.find(',', start);
    const std::string item = tasks_per_node.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::smatch match;
    if (!std::regex_match(item, match, entry)) {
      throw std::invalid_argument(fmt::format("'{}' is not a list like 2(x3),1", item));
    }
    const int64_t tasks = std::stoll(match[1].str());
    const int64_t repeat = match[2].matched ? std::stoll(match[3].str()) : 1;
    if (node < first_node + repeat) return tasks;
    first_node += repeat;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  throw std::invalid_argument(fmt::format("no entry for node {} (the list covers {} nodes)", node, first_node));
}

}  // namespace ablate::dist
