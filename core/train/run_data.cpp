#include "core/train/run_data.h"

#include <stdexcept>

#include <fmt/format.h>

namespace ablate::train {

namespace {

// Runs before the loaders are built, so a mismatch is reported before any copy to the device.
const data::Datasets& checked(const data::Datasets& datasets, const config::RunSpec& spec) {
  const auto& model = spec.model.options;
  if (model.num_classes() != datasets.num_classes) {
    throw std::invalid_argument(fmt::format("model.num_classes: {} does not match dataset {} with {} classes",
                                            model.num_classes(), datasets.dataset, datasets.num_classes));
  }
  if (model.input_channels() != datasets.channels) {
    throw std::invalid_argument(fmt::format("model.input_channels: {} does not match dataset {} with {} channels",
                                            model.input_channels(), datasets.dataset, datasets.channels));
  }
  return datasets;
}

data::LoaderOptions on_device(data::LoaderOptions options, const RuntimeSettings& runtime) {
  return options.device(runtime.device).channels_last(runtime.channels_last);
}

}  // namespace

bool LoaderBatchSource::next(Batch& batch) {
  if (!loader_.next(batch_)) return false;
  batch.images = batch_.images;
  batch.labels = batch_.labels;
  return true;
}

RunData::RunData(const config::RunSpec& spec, const RuntimeSettings& runtime)
    : datasets_(data::load_datasets(spec.data, spec.seed)),
      train_loader_(checked(datasets_, spec).train, spec.train.batch_size, spec.seed,
                    on_device(data::train_loader_options(datasets_, spec.data), runtime)),
      eval_loader_(datasets_.eval(), spec.train.eval_batch_size, spec.seed,
                   on_device(data::eval_loader_options(datasets_), runtime)),
      train_source_(train_loader_),
      eval_source_(eval_loader_) {}

}  // namespace ablate::train
