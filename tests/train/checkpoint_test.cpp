#include "core/train/checkpoint.h"

#include <fstream>
#include <stdexcept>
#include <type_traits>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/models/resnet.h"
#include "core/train/atomic_file.h"
#include "core/train/loss_metrics.h"
#include "core/train/optimizer.h"
#include "train_test_support.h"

namespace ablate::train {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(AtomicFile, ReplacesTheFileWhole) {
  const fs::path path = testing::fresh_directory("atomic-ok") / "file.bin";
  write_file_atomically(path, [](const std::string& temp) { write_text(temp, "first"); });
  write_file_atomically(path, [](const std::string& temp) { write_text(temp, "second"); });
  EXPECT_EQ(read_all(path), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator()), 1);
}

TEST(AtomicFile, AFailedWriteLeavesTheGoodFileAndNoTemporary) {
  const fs::path path = testing::fresh_directory("atomic-fail") / "epoch-1.pt";
  write_file_atomically(path, [](const std::string& temp) { write_text(temp, "good checkpoint"); });
  EXPECT_THROW(write_file_atomically(path,
                                     [](const std::string& temp) {
                                       write_text(temp, "half a chec");
                                       throw std::runtime_error("disk full");
                                     }),
               std::runtime_error);
  EXPECT_EQ(read_all(path), "good checkpoint");
  EXPECT_EQ(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator()), 1);
}

// A model and optimiser with momentum buffers, after a few SGD steps on random data.
struct Trained {
  models::ResNet model{nullptr};
  std::unique_ptr<torch::optim::SGD> optimizer;
};
Trained make_trained(int64_t seed, int64_t steps) {
  torch::manual_seed(seed);
  const config::RunSpec spec = testing::tiny_run_spec("checkpoint");
  Trained trained{models::ResNet(spec.model.options), nullptr};
  trained.optimizer = make_sgd(*trained.model, spec.train);
  for (int64_t i = 0; i < steps; ++i) {
    const torch::Tensor loss = cross_entropy(trained.model->forward(torch::randn({8, 1, 8, 8})),
                                             torch::randint(4, {8}, torch::kLong));
    trained.optimizer->zero_grad();
    loss.backward();
    trained.optimizer->step();
  }
  return trained;
}

// The optimiser's state map is keyed by a TensorImpl's address: as a string in LibTorch 1.x, as void* in 2.x.
template <typename StateMap>
const torch::Tensor& momentum_buffer(const StateMap& state, const torch::Tensor& param) {
  using Key = typename StateMap::key_type;
  const auto& entry = [&]() -> const auto& {
    if constexpr (std::is_same_v<Key, std::string>) {
      return state.at(c10::guts::to_string(param.unsafeGetTensorImpl()));
    } else {
      return state.at(param.unsafeGetTensorImpl());
    }
  }();
  return static_cast<const torch::optim::SGDParamState&>(*entry).momentum_buffer();
}

void expect_same_state(const Trained& a, const Trained& b) {
  const auto a_state = a.model->named_parameters();
  for (const auto& item : b.model->named_parameters()) EXPECT_TRUE(torch::equal(item.value(), a_state[item.key()])) << item.key();
  const auto a_buffers = a.model->named_buffers();
  for (const auto& item : b.model->named_buffers()) EXPECT_TRUE(torch::equal(item.value(), a_buffers[item.key()])) << item.key();
  for (size_t g = 0; g < a.optimizer->param_groups().size(); ++g) {
    const auto& a_params = a.optimizer->param_groups()[g].params();
    const auto& b_params = b.optimizer->param_groups()[g].params();
    ASSERT_EQ(a_params.size(), b_params.size());
    for (size_t i = 0; i < a_params.size(); ++i) {
      EXPECT_TRUE(torch::equal(momentum_buffer(a.optimizer->state(), a_params[i]),
                               momentum_buffer(b.optimizer->state(), b_params[i])))
          << "momentum buffer " << g << "/" << i;
    }
  }
}

TEST(CheckpointStore, RoundTripsModelOptimiserRngAndHistory) {
  const CheckpointStore store(testing::fresh_directory("roundtrip") / "run", "key-1");
  Trained original = make_trained(1, 3);
  TrainingProgress progress;
  progress.epochs_completed = 2;
  progress.global_step = 6;
  progress.history = {{{"train_loss", 1.0 / 3.0}, {"lr", 0.1}}, {{"train_loss", 0.1 + 0.2}, {"lr", 0.05}}};
  torch::manual_seed(99);
  store.save(progress, *original.model, *original.optimizer, torch::kCPU);
  const torch::Tensor next_draw = torch::rand({4});  // what the generator yields after the save

  Trained restored = make_trained(2, 1);  // different weights and momentum
  std::vector<std::string> warnings;
  const auto loaded = store.load_latest(*restored.model, *restored.optimizer, torch::kCPU,
                                        [&](const std::string& w) { warnings.push_back(w); });
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(loaded->epochs_completed, 2);
  EXPECT_EQ(loaded->global_step, 6);
  ASSERT_EQ(loaded->history.size(), 2u);
  EXPECT_EQ(loaded->history[0].at("train_loss"), 1.0 / 3.0);  // bit for bit
  EXPECT_EQ(loaded->history[1].at("train_loss"), 0.1 + 0.2);
  EXPECT_EQ(loaded->history[1].at("lr"), 0.05);
  EXPECT_TRUE(torch::equal(torch::rand({4}), next_draw));
  expect_same_state(original, restored);
}

// Checkpoints of epochs 1 and 2, each of a differently trained model.
struct TwoEpochs {
  Trained first, second;
};
TwoEpochs save_two_epochs(const CheckpointStore& store) {
  TwoEpochs saved{make_trained(1, 2), make_trained(3, 2)};
  TrainingProgress progress;
  progress.epochs_completed = 1;
  progress.history = {{{"lr", 0.1}}};
  store.save(progress, *saved.first.model, *saved.first.optimizer, torch::kCPU);
  progress.epochs_completed = 2;
  progress.history.push_back({{"lr", 0.2}});
  store.save(progress, *saved.second.model, *saved.second.optimizer, torch::kCPU);
  return saved;
}

// What ablate export reads: the model of one epoch, nothing else, only from this run's files, and only
// while they are as written.
TEST(CheckpointStore, LoadModelReadsOneEpochsWeightsOfThisRunOnly) {
  const fs::path directory = testing::fresh_directory("load-model") / "run";
  const CheckpointStore store(directory, "key-1");
  const TwoEpochs saved = save_two_epochs(store);

  Trained target = make_trained(4, 0);
  store.load_model(1, *target.model);
  for (const auto& item : saved.first.model->named_parameters()) {
    EXPECT_TRUE(torch::equal(item.value(), target.model->named_parameters()[item.key()])) << item.key();
  }
  for (const auto& item : saved.first.model->named_buffers()) {
    EXPECT_TRUE(torch::equal(item.value(), target.model->named_buffers()[item.key()])) << item.key();
  }
  const auto error_of = [&](const CheckpointStore& from, int64_t epoch) {
    try {
      from.load_model(epoch, *target.model);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string missing = error_of(store, 5);
  EXPECT_NE(missing.find((directory / "epoch-5.pt").string()), std::string::npos) << missing;
  const std::string other = error_of(CheckpointStore(directory, "key-2"), 2);
  EXPECT_NE(other.find("it belongs to run 'key-1', not 'key-2'"), std::string::npos) << other;
  write_text(store.checksum_path_for(2).string(), std::string(64, '0') + "  epoch-2.pt\n");
  const std::string changed = error_of(store, 2);
  EXPECT_NE(changed.find("SHA-256"), std::string::npos) << changed;
  EXPECT_NE(changed.find((directory / "epoch-2.pt").string()), std::string::npos) << changed;
}

TEST(CheckpointStore, TruncatedNewestFallsBackToThePreviousWithAWarning) {
  const CheckpointStore store(testing::fresh_directory("truncated") / "run", "key-2");
  const TwoEpochs saved = save_two_epochs(store);
  const Trained& first = saved.first;
  EXPECT_EQ(store.epochs_on_disk(), (std::vector<int64_t>{1, 2}));

  const std::string bytes = read_all(store.path_for(2));
  write_text(store.path_for(2).string(), bytes.substr(0, bytes.size() / 2));
  Trained restored = make_trained(4, 1);
  std::vector<std::string> warnings;
  const auto loaded = store.load_latest(*restored.model, *restored.optimizer, torch::kCPU,
                                        [&](const std::string& w) { warnings.push_back(w); });
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->epochs_completed, 1);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("epoch-2.pt"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("previous epoch"), std::string::npos) << warnings[0];
  expect_same_state(first, restored);

  // Garbage in the only remaining file: nothing usable, start over.
  write_text(store.path_for(1).string(), "not a zip archive");
  warnings.clear();
  EXPECT_FALSE(store.load_latest(*restored.model, *restored.optimizer, torch::kCPU,
                                 [&](const std::string& w) { warnings.push_back(w); }));
  EXPECT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings.back().find("starting the run over"), std::string::npos) << warnings.back();
}

// Bytes changed inside the archive (here: one weight) still parse; the checksum written beside the file
// catches them, and the previous checkpoint is used instead, as for a truncated file.
TEST(CheckpointStore, ChangedBytesFailTheChecksumAndFallBackToThePrevious) {
  const CheckpointStore store(testing::fresh_directory("checksum") / "run", "key-5");
  const TwoEpochs saved = save_two_epochs(store);
  const Trained& first = saved.first;
  const Trained& second = saved.second;
  ASSERT_TRUE(fs::exists(store.checksum_path_for(2)));
  EXPECT_EQ(read_all(store.checksum_path_for(2)).substr(64), "  epoch-2.pt\n") << "sha256sum's format";

  // Find the bytes of the largest parameter in the archive and change one of them.
  torch::Tensor largest;
  for (const auto& parameter : second.model->parameters()) {
    if (!largest.defined() || parameter.numel() > largest.numel()) largest = parameter;
  }
  const torch::Tensor contiguous = largest.detach().contiguous();
  const std::string weights(static_cast<const char*>(contiguous.data_ptr()), contiguous.nbytes());
  std::string bytes = read_all(store.path_for(2));
  const size_t at = bytes.find(weights);
  ASSERT_NE(at, std::string::npos) << "weights are stored uncompressed";
  bytes[at + weights.size() / 2] ^= 0x40;
  write_text(store.path_for(2).string(), bytes);

  Trained restored = make_trained(4, 1);
  std::vector<std::string> warnings;
  const auto loaded = store.load_latest(*restored.model, *restored.optimizer, torch::kCPU,
                                        [&](const std::string& w) { warnings.push_back(w); });
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->epochs_completed, 1);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("SHA-256"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("previous epoch"), std::string::npos) << warnings[0];
  expect_same_state(first, restored);

  // A checkpoint without its checksum file (an older ablate's) still loads, with a warning.
  fs::remove(store.checksum_path_for(1));
  warnings.clear();
  fs::remove(store.path_for(2));
  ASSERT_TRUE(store.load_latest(*restored.model, *restored.optimizer, torch::kCPU,
                                [&](const std::string& w) { warnings.push_back(w); }));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("loaded unverified"), std::string::npos) << warnings[0];
}

// A checkpoint must carry its epochs' metrics: a store that lacks them replays them from it.
TEST(CheckpointStore, ACheckpointWithoutItsMetricsHistoryIsNotResumedFrom) {
  const CheckpointStore store(testing::fresh_directory("no-history") / "run", "key-6");
  Trained trained = make_trained(1, 1);
  TrainingProgress progress;
  progress.epochs_completed = 1;
  store.save(progress, *trained.model, *trained.optimizer, torch::kCPU);
  std::vector<std::string> warnings;
  EXPECT_FALSE(store.load_latest(*trained.model, *trained.optimizer, torch::kCPU,
                                 [&](const std::string& w) { warnings.push_back(w); }));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("no metrics history"), std::string::npos) << warnings[0];
}

TEST(CheckpointStore, RefusesAnotherRunsCheckpoint) {
  const fs::path directory = testing::fresh_directory("other-run") / "run";
  Trained trained = make_trained(1, 1);
  TrainingProgress progress;
  progress.epochs_completed = 1;
  CheckpointStore(directory, "key-a").save(progress, *trained.model, *trained.optimizer, torch::kCPU);
  std::vector<std::string> warnings;
  EXPECT_FALSE(CheckpointStore(directory, "key-b").load_latest(*trained.model, *trained.optimizer, torch::kCPU,
                                                               [&](const std::string& w) { warnings.push_back(w); }));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("key-a"), std::string::npos) << warnings[0];
}

TEST(CheckpointStore, PruneKeepsTheNewest) {
  const CheckpointStore store(testing::fresh_directory("prune") / "run", "key-3");
  Trained trained = make_trained(1, 1);
  for (int64_t epoch = 1; epoch <= 4; ++epoch) {
    TrainingProgress progress;
    progress.epochs_completed = epoch;
    store.save(progress, *trained.model, *trained.optimizer, torch::kCPU);
  }
  write_text((store.directory() / "notes.txt").string(), "kept");
  store.prune(2);
  EXPECT_EQ(store.epochs_on_disk(), (std::vector<int64_t>{3, 4}));
  store.prune(1);
  EXPECT_EQ(store.epochs_on_disk(), (std::vector<int64_t>{4}));
  EXPECT_TRUE(fs::exists(store.directory() / "notes.txt"));
  EXPECT_FALSE(fs::exists(store.checksum_path_for(3))) << "checksums go with their checkpoints";
  EXPECT_TRUE(fs::exists(store.checksum_path_for(4)));
}

}  // namespace
}  // namespace ablate::train
