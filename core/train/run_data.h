#pragma once
// The batches of one run from core/data: the datasets spec.data names (loaded with the run seed), a
// shuffled and augmented training loader and an in-order evaluation loader, both on the run's device
// and in its memory format, adapted to BatchSource. With it the runner's whole training call is:
//
//   train::Trainer trainer(spec, options);
//   train::RunData data(spec, trainer.runtime());
//   train::TrainResult result = trainer.run(data.train(), &data.eval(), sink);

#include <cstdint>

#include "core/config/run_spec.h"
#include "core/data/batch_loader.h"
#include "core/data/datasets.h"
#include "core/train/batch_source.h"
#include "core/train/device.h"

namespace ablate::train {

// data::BatchLoader seen as a BatchSource (the loader already keeps epoch order a function of
// (seed, epoch), which is what the trainer's resume needs).
class LoaderBatchSource : public BatchSource {
 public:
  explicit LoaderBatchSource(data::BatchLoader& loader) : loader_(loader) {}
  void begin_epoch(int64_t epoch) override { loader_.begin_epoch(epoch); }
  bool next(Batch& batch) override;
  int64_t num_batches() const override { return loader_.num_batches(); }

 private:
  data::BatchLoader& loader_;
  data::Batch batch_;
};

class RunData {
 public:
  // Loads the data (data::load_datasets(spec.data, spec.seed)) and checks it fits the model: throws
  // std::invalid_argument naming model.num_classes or model.input_channels when they differ from the
  // dataset's classes or channels. Training batches of train.batch_size, evaluation batches of
  // train.eval_batch_size on data::Datasets::eval() (the validation split when carved, else test).
  RunData(const config::RunSpec& spec, const RuntimeSettings& runtime);

  BatchSource& train() { return train_source_; }
  BatchSource& eval() { return eval_source_; }
  const data::Datasets& datasets() const { return datasets_; }

 private:
  data::Datasets datasets_;
  data::BatchLoader train_loader_, eval_loader_;
  LoaderBatchSource train_source_, eval_source_;
};

}  // namespace ablate::train
