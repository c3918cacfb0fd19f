// Data-parallel training against one process: two replica_step_worker processes (Gloo over loopback,
// torchrun-style environment, a free port per case) take the trainer's steps on their shares of each
// batch; their parameters must equal each other exactly and one process's over the whole batches to
// 1e-6, and their combined meter must count every image once. Also: a rank that dies or hangs makes the
// other's collective fail (at once, or after the configured timeout) instead of waiting forever.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/dist/replica_steps.h"
#include "tests/support/child_process.h"
#include "tests/support/free_port.h"
#include "tests/support/temp_path.h"

namespace ablate::dist {
namespace {

using ablate::testing::ChildProcess;
using Clock = std::chrono::steady_clock;

std::vector<std::pair<std::string, std::string>> rank_environment(int rank, int port) {
  return {{"RANK", std::to_string(rank)},      {"WORLD_SIZE", "2"},        {"LOCAL_RANK", std::to_string(rank)},
          {"LOCAL_WORLD_SIZE", "2"},           {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", std::to_string(port)},
          {"OMP_NUM_THREADS", "1"}};
}

// Starts both ranks with `arguments` after the worker path; returns their exit statuses (rank order).
std::vector<int> run_two_ranks(const ablate::testing::CaseTempDir& dir, const std::vector<std::string>& arguments,
                               std::string* output = nullptr) {
  const int port = ablate::testing::free_port();
  std::vector<std::string> argv = {REPLICA_STEP_WORKER};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  ChildProcess rank0(argv, dir.file("rank0.log"), rank_environment(0, port));
  ChildProcess rank1(argv, dir.file("rank1.log"), rank_environment(1, port));
  std::vector<int> statuses = {rank0.wait(), rank1.wait()};
  if (output) *output = "rank 0:\n" + rank0.output() + "\nrank 1:\n" + rank1.output();
  return statuses;
}

void expect_two_ranks_match_one_process(const testing::StepPlan& plan) {
  ablate::testing::CaseTempDir dir("dist");
  std::string output;
  const std::vector<int> statuses =
      run_two_ranks(dir, {"60", "steps", dir.file("out"), std::to_string(plan.global_batch), std::to_string(plan.steps),
                          std::to_string(plan.bucket_bytes)},
                    &output);
  ASSERT_EQ(statuses, (std::vector<int>{0, 0})) << output;
  std::vector<torch::Tensor> rank0, rank1;
  torch::load(rank0, dir.file("out.0"));
  torch::load(rank1, dir.file("out.1"));
  const testing::StepResult alone = testing::take_steps(plan, {0, 1}, nullptr);
  ASSERT_EQ(rank0.size(), alone.parameters.size() + 2);
  ASSERT_EQ(rank1.size(), rank0.size());
  for (size_t i = 0; i < alone.parameters.size(); ++i) {
    EXPECT_TRUE(torch::equal(rank0[i], rank1[i])) << "parameter " << i << " differs between the replicas";
    EXPECT_TRUE(torch::allclose(rank0[i], alone.parameters[i], /*rtol=*/0, /*atol=*/1e-6))
        << "parameter " << i << ": max difference from one process "
        << (rank0[i] - alone.parameters[i]).abs().max().item<double>();
  }
  // Parameters moved: the comparison is not between two untouched initialisations.
  EXPECT_GT((rank0[0] - testing::take_steps({plan.global_batch, 0, plan.bucket_bytes}, {0, 1}, nullptr).parameters[0])
                .abs()
                .max()
                .item<double>(),
            1e-4);
  const torch::Tensor meter = rank0[alone.parameters.size()], alone_meter = alone.meter;
  EXPECT_EQ(meter[0].item<double>(), static_cast<double>(plan.global_batch * plan.steps)) << "every image once";
  EXPECT_NEAR(meter[1].item<double>(), alone_meter[1].item<double>(), 1e-6) << "mean loss";
  EXPECT_EQ(meter[2].item<double>(), alone_meter[2].item<double>()) << "top-1 error";
  EXPECT_EQ(meter[3].item<double>(), alone_meter[3].item<double>()) << "top-5 error";
}

TEST(DataParallelGradients, TwoRanksTakeTheStepsOfOneProcess) {
  expect_two_ranks_match_one_process({/*global_batch=*/8, /*steps=*/3, GradientAllReduce::kDefaultBucketBytes});
}

TEST(DataParallelGradients, ManySmallBucketsGiveTheSameSteps) {
  // 1 KB buckets: the tiny net's parameters spread over many buckets, launched during backward in order.
  expect_two_ranks_match_one_process({8, 3, 1024});
}

TEST(DataParallelGradients, UnequalAndEmptySharesAreWeightedByImages) {
  expect_two_ranks_match_one_process({7, 2, GradientAllReduce::kDefaultBucketBytes});  // 4 + 3 images
  expect_two_ranks_match_one_process({1, 2, GradientAllReduce::kDefaultBucketBytes});  // rank 1 has none
}

TEST(DataParallelFailure, ADeadRankFailsTheOthersCollectiveAtOnce) {
  ablate::testing::CaseTempDir dir("dist");
  std::string output;
  const auto start = Clock::now();
  const std::vector<int> statuses = run_two_ranks(dir, {"120", "exit-early"}, &output);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(statuses, (std::vector<int>{3, 0})) << output;
  EXPECT_LT(seconds, 60) << "a closed connection must not wait for the 120 s timeout";
  EXPECT_NE(output.find("all-reduce with the other ranks failed"), std::string::npos) << output;
}

TEST(DataParallelFailure, AHungRankFailsTheOthersCollectiveAfterTheTimeout) {
  ablate::testing::CaseTempDir dir("dist");
  std::string output;
  const auto start = Clock::now();
  const int port = ablate::testing::free_port();
  ChildProcess rank0({REPLICA_STEP_WORKER, "3", "hang"}, dir.file("rank0.log"), rank_environment(0, port));
  ChildProcess rank1({REPLICA_STEP_WORKER, "3", "hang"}, dir.file("rank1.log"), rank_environment(1, port));
  EXPECT_EQ(rank0.wait(), 3) << rank0.output();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_GE(seconds, 3);
  EXPECT_LT(seconds, 30);
  rank1.signal(SIGKILL);
}

}  // namespace
}  // namespace ablate::dist
