#include "core/train/run_data.h"

#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "core/data/image_folder_data.h"

namespace ablate::train {

namespace {

// Runs before the loaders are built, so a mismatch is reported before any copy to the device.
void check_fits(const config::RunSpec& spec, const std::string& dataset, int64_t classes, int64_t channels) {
  const auto& model = spec.model.options;
  if (model.num_classes() != classes) {
    throw std::invalid_argument(fmt::format("model.num_classes: {} does not match dataset {} with {} classes",
                                            model.num_classes(), dataset, classes));
  }
  if (model.input_channels() != channels) {
    throw std::invalid_argument(fmt::format("model.input_channels: {} does not match dataset {} with {} channels",
                                            model.input_channels(), dataset, channels));
  }
}

data::LoaderOptions on_device(data::LoaderOptions options, const RuntimeSettings& runtime,
                              const data::Replica& replica) {
  return options.device(runtime.device).channels_last(runtime.channels_last).replica(replica);
}

template <typename Loader, typename... Args>
std::unique_ptr<BatchSource> source(Args&&... args) {
  return std::make_unique<LoaderSource<Loader>>(std::make_unique<Loader>(std::forward<Args>(args)...));
}

}  // namespace

RunData::RunData(const config::RunSpec& spec, const RuntimeSettings& runtime, const data::Replica& replica) {
  // The training batch must split evenly over the replicas (the evaluation's may not: it changes no number).
  data::check_replica(replica);
  if (replica.count > 1) data::per_replica_batch(spec.train.batch_size, replica.count);
  if (spec.data.dataset != "imagenet") {
    const data::Datasets datasets = data::load_datasets(spec.data, spec.seed);
    check_fits(spec, datasets.dataset, datasets.num_classes, datasets.channels);
    train_ = source<data::BatchLoader>(datasets.train, spec.train.batch_size, spec.seed,
                                       on_device(data::train_loader_options(datasets, spec.data), runtime, replica));
    eval_ = source<data::BatchLoader>(datasets.eval(), spec.train.eval_batch_size, spec.seed,
                                      on_device(data::eval_loader_options(datasets), runtime, replica));
    digest_ = datasets.digest;
    description_ = data::describe(datasets);
    return;
  }

  data::ImageFolderData images = data::load_image_folder_data(spec.data, spec.seed);
  check_fits(spec, "imagenet", static_cast<int64_t>(images.classes.size()), 3);
  digest_ = images.digest;
  description_ = data::describe(images);
  data::StreamingOptions options;
  options.workers = data::decode_workers(spec.data);
  options.skip_bad_images = spec.data.on_bad_image == "skip";
  options.mean = images.mean;
  options.stddev = images.std;
  options.device = runtime.device;
  options.channels_last = runtime.channels_last;
  options.transform.size = spec.model.image_size;
  options.replica = replica;

  data::StreamingOptions train_options = options;
  train_options.batch_size = spec.train.batch_size;
  train_options.shuffle = true;
  train_options.transform.train = true;
  train_options.transform.flip = spec.data.horizontal_flip;
  data::StreamingOptions eval_options = options;
  eval_options.batch_size = spec.train.eval_batch_size;
  eval_options.shuffle = false;
  eval_options.transform.train = false;

  auto train = std::make_unique<data::StreamingLoader>(images.train_dir, std::move(images.train), spec.seed, train_options);
  for (auto& warning : images.warnings) train->add_warning(std::move(warning));
  train_ = std::make_unique<LoaderSource<data::StreamingLoader>>(std::move(train));
  eval_ = source<data::StreamingLoader>(images.eval_dir, std::move(images.eval), spec.seed, eval_options);
}

}  // namespace ablate::train
