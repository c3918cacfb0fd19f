#pragma once
// The batches of one run from core/data, adapted to BatchSource, on the run's device and in its memory
// format:
//  - the in-memory datasets (fashion-mnist, mnist, cifar10/100, synthetic): data::load_datasets with the
//    run seed, a shuffled and augmented training BatchLoader and an in-order evaluation BatchLoader;
//  - imagenet (any ImageFolder tree): data::load_image_folder_data, then two data::StreamingLoaders of
//    data.workers decode threads each (0 = cores - 1), training with RandomResizedCrop + flip, evaluation
//    with resize + centre crop; unreadable images fail the run or are skipped as data.on_bad_image says.
// With it the runner's whole training call is:
//
//   train::Trainer trainer(spec, options);
//   train::RunData data(spec, trainer.runtime());
//   train::TrainResult result = trainer.run(data.train(), &data.eval(), sink);

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/config/run_spec.h"
#include "core/data/batch_loader.h"
#include "core/data/datasets.h"
#include "core/data/streaming_loader.h"
#include "core/train/batch_source.h"
#include "core/train/device.h"

namespace ablate::train {

// A core/data loader (BatchLoader or StreamingLoader) seen as a BatchSource; both keep epoch order a
// function of (seed, epoch), which is what the trainer's resume needs.
template <typename Loader>
class LoaderSource : public BatchSource {
 public:
  explicit LoaderSource(std::unique_ptr<Loader> loader) : loader_(std::move(loader)) {}
  void begin_epoch(int64_t epoch) override { loader_->begin_epoch(epoch); }
  bool next(Batch& batch) override {
    if (!loader_->next(batch_)) return false;
    batch.images = batch_.images;
    batch.labels = batch_.labels;
    return true;
  }
  int64_t num_batches() const override { return loader_->num_batches(); }
  std::vector<std::string> take_warnings() override;
  Loader& loader() { return *loader_; }

 private:
  std::unique_ptr<Loader> loader_;
  data::Batch batch_;
};

template <>
inline std::vector<std::string> LoaderSource<data::StreamingLoader>::take_warnings() {
  return loader_->take_warnings();
}
template <>
inline std::vector<std::string> LoaderSource<data::BatchLoader>::take_warnings() {
  return {};
}

class RunData {
 public:
  // Loads the data and checks it fits the model: throws std::invalid_argument naming model.num_classes or
  // model.input_channels when they differ from the dataset's classes or channels. The config layer applies
  // the same rule at expansion, so for a spec from expand() this fails only if the files changed since (an
  // ImageFolder tree's class folders, say). Training batches of train.batch_size, evaluation batches of
  // train.eval_batch_size on the evaluated split (the validation split when carved, else the official
  // test/val split).
  // Data-parallel: `replica` takes its share of every training and evaluation batch (replica_split.h);
  // throws std::invalid_argument naming train.batch_size when the global batch does not split evenly.
  RunData(const config::RunSpec& spec, const RuntimeSettings& runtime, const data::Replica& replica = {});

  BatchSource& train() { return *train_; }
  BatchSource& eval() { return *eval_; }
  // Provenance of the data (data::Datasets::digest, data::ImageFolderData::digest) and a line for logs.
  const std::string& digest() const { return digest_; }
  const std::string& description() const { return description_; }

 private:
  std::unique_ptr<BatchSource> train_, eval_;
  std::string digest_, description_;
};

}  // namespace ablate::train
