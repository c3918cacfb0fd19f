// Launch environments: torchrun's variables, srun's, neither; what each is read as and the one-line
// errors for values that cannot describe a group.
#include "core/dist/world.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

namespace ablate::dist {
namespace {

Environment from(std::map<std::string, std::string> variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

std::string error_of(const std::map<std::string, std::string>& variables) {
  try {
    detect_world(from(variables));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

const std::map<std::string, std::string> kTorchrun = {{"RANK", "3"},          {"WORLD_SIZE", "8"},
                                                      {"LOCAL_RANK", "1"},    {"LOCAL_WORLD_SIZE", "4"},
                                                      {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29500"}};

TEST(LaunchEnvironment, NoneMeansOneProcess) { EXPECT_FALSE(detect_world(from({{"HOME", "/root"}})).has_value()); }

TEST(LaunchEnvironment, TorchrunVariables) {
  const World world = detect_world(from(kTorchrun)).value();
  EXPECT_EQ(world.rank, 3);
  EXPECT_EQ(world.size, 8);
  EXPECT_EQ(world.local_rank, 1);
  EXPECT_EQ(world.local_size, 4);
  EXPECT_EQ(world.master_addr, "node7");
  EXPECT_EQ(world.master_port, 29500);
  EXPECT_FALSE(world.launcher_hosts_store);
  EXPECT_TRUE(world.distributed());

  auto agent = kTorchrun;
  agent["TORCHELASTIC_USE_AGENT_STORE"] = "True";
  agent["TORCHELASTIC_RESTART_COUNT"] = "2";
  const World joined = detect_world(from(agent)).value();
  EXPECT_TRUE(joined.launcher_hosts_store);
  EXPECT_EQ(joined.store_prefix, "/worker/attempt_2");

  // One process under torchrun needs no rendezvous at all.
  const World alone = detect_world(from({{"RANK", "0"}, {"WORLD_SIZE", "1"}})).value();
  EXPECT_FALSE(alone.distributed());
}

TEST(LaunchEnvironment, SrunVariables) {
  const World world = detect_world(from({{"SLURM_PROCID", "5"},
                                         {"SLURM_NTASKS", "8"},
                                         {"SLURM_STEP_NUM_TASKS", "8"},
                                         {"SLURM_LOCALID", "1"},
                                         {"SLURM_NODEID", "1"},
                                         {"SLURM_STEP_TASKS_PER_NODE", "4(x2)"},
                                         {"SLURM_STEP_NODELIST", "gpu[07-08]"},
                                         {"SLURM_JOB_NODELIST", "gpu[07-08]"},
                                         {"SLURM_JOB_ID", "123456"}}))
                          .value();
  EXPECT_EQ(world.rank, 5);
  EXPECT_EQ(world.size, 8);
  EXPECT_EQ(world.local_rank, 1);
  EXPECT_EQ(world.local_size, 4);
  EXPECT_EQ(world.master_addr, "gpu07");
  EXPECT_EQ(world.master_port, 15000 + 123456 % 15000);

  // A batch script with --ntasks=2 outside srun (what Slurm 22.05 sets there): one process.
  EXPECT_FALSE(detect_world(from({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}, {"SLURM_LOCALID", "0"},
                                  {"SLURM_JOB_NODELIST", "vm"}, {"SLURM_JOB_ID", "2"}}))
                   .has_value());

  // torchrun's variables win inside an allocation; MASTER_ADDR/PORT win over the node list and job id.
  auto both = kTorchrun;
  both["SLURM_PROCID"] = "0";
  both["SLURM_STEP_NUM_TASKS"] = "1";
  EXPECT_EQ(detect_world(from(both)).value().size, 8);
  const World chosen = detect_world(from({{"SLURM_PROCID", "0"}, {"SLURM_STEP_NUM_TASKS", "2"},
                                          {"SLURM_JOB_NODELIST", "a,b"}, {"MASTER_ADDR", "10.0.0.1"},
                                          {"MASTER_PORT", "1234"}}))
                           .value();
  EXPECT_EQ(chosen.master_addr, "10.0.0.1");
  EXPECT_EQ(chosen.master_port, 1234);
}

TEST(LaunchEnvironment, BadValuesNameTheVariable) {
  auto rank_too_big = kTorchrun;
  rank_too_big["RANK"] = "8";
  EXPECT_NE(error_of(rank_too_big).find("RANK=8 is not below WORLD_SIZE=8"), std::string::npos) << error_of(rank_too_big);
  auto no_world = kTorchrun;
  no_world["WORLD_SIZE"] = "0";
  EXPECT_NE(error_of(no_world).find("WORLD_SIZE='0': expected an integer >= 1"), std::string::npos) << error_of(no_world);
  auto word = kTorchrun;
  word["RANK"] = "three";
  EXPECT_NE(error_of(word).find("RANK='three'"), std::string::npos);
  auto no_master = kTorchrun;
  no_master.erase("MASTER_ADDR");
  EXPECT_NE(error_of(no_master).find("MASTER_ADDR is not set"), std::string::npos) << error_of(no_master);
  auto bad_port = kTorchrun;
  bad_port["MASTER_PORT"] = "70000";
  EXPECT_NE(error_of(bad_port).find("MASTER_PORT=70000"), std::string::npos) << error_of(bad_port);
  auto bad_local = kTorchrun;
  bad_local["LOCAL_RANK"] = "4";
  EXPECT_NE(error_of(bad_local).find("LOCAL_RANK=4"), std::string::npos) << error_of(bad_local);
  EXPECT_NE(error_of({{"SLURM_PROCID", "2"}, {"SLURM_STEP_NUM_TASKS", "2"}})
                .find("SLURM_PROCID=2 is not below SLURM_STEP_NUM_TASKS=2"),
            std::string::npos);
  EXPECT_NE(error_of({{"SLURM_PROCID", "0"}, {"SLURM_STEP_NUM_TASKS", "2"}, {"SLURM_JOB_ID", "7"}})
                .find("SLURM_JOB_NODELIST is not set"),
            std::string::npos);
}

TEST(SlurmLists, FirstHost) {
  EXPECT_EQ(first_slurm_host("gpu07"), "gpu07");
  EXPECT_EQ(first_slurm_host("gpu[07-09,12],cpu1"), "gpu07");
  EXPECT_EQ(first_slurm_host("a1,b2"), "a1");
  EXPECT_EQ(first_slurm_host("rack[3,5]-n"), "rack3-n");
  EXPECT_THROW(first_slurm_host(""), std::invalid_argument);
  EXPECT_THROW(first_slurm_host("[1-2"), std::invalid_argument);
}

TEST(SlurmLists, TasksOnNode) {
  EXPECT_EQ(slurm_tasks_on_node("4", 0), 4);
  EXPECT_EQ(slurm_tasks_on_node("2(x3),1", 2), 2);
  EXPECT_EQ(slurm_tasks_on_node("2(x3),1", 3), 1);
  EXPECT_THROW(slurm_tasks_on_node("2(x3),1", 4), std::invalid_argument);
  EXPECT_THROW(slurm_tasks_on_node("two", 0), std::invalid_argument);
}

}  // namespace
}  // namespace ablate::dist
