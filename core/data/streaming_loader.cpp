#include "core/data/streaming_loader.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include <ATen/Parallel.h>
#include <fmt/format.h>

#include "core/data/file_bytes.h"
#include "core/data/rng.h"

namespace ablate::data {

namespace {

// Keep the epoch order and the per-image draws apart from each other and from the other streams of a seed.
constexpr uint64_t kOrderStream = 0x0DE5C0DEULL;
constexpr uint64_t kImageStream = 0x1A6E5EEDULL;

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

uint64_t image_seed(uint64_t seed, int64_t epoch, int64_t image) {
  return combine_seeds(combine_seeds(combine_seeds(seed, kImageStream), static_cast<uint64_t>(epoch)),
                       static_cast<uint64_t>(image));
}

// uint8 [B, H, W, 3] -> float32 x * scale[c] + shift[c] in `out` ([B, 3, H, W], channels_last or contiguous),
// image by image on the intra-op threads. The same values as Normalizer's addcmul, which on the CPU runs a
// slow mixed-type, broadcast loop (about 1 ms an image at 224 px against 0.1 ms here).
void normalize_on_cpu(const torch::Tensor& hwc, const Normalizer& normalize, bool channels_last, torch::Tensor& out) {
  const torch::Tensor images = hwc.contiguous();
  const int64_t batch = images.size(0), plane = images.size(1) * images.size(2);
  const float* scale = normalize.scale().data_ptr<float>();
  const float* shift = normalize.shift().data_ptr<float>();
  const uint8_t* in = images.data_ptr<uint8_t>();
  float* dst = out.data_ptr<float>();
  at::parallel_for(0, batch, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const uint8_t* src = in + i * plane * 3;
      float* image = dst + i * plane * 3;
      if (channels_last) {
        for (int64_t p = 0; p < plane; ++p) {
          for (int c = 0; c < 3; ++c) image[3 * p + c] = static_cast<float>(src[3 * p + c]) * scale[c] + shift[c];
        }
      } else {
        for (int c = 0; c < 3; ++c) {
          float* channel = image + c * plane;
          for (int64_t p = 0; p < plane; ++p) channel[p] = static_cast<float>(src[3 * p + c]) * scale[c] + shift[c];
        }
      }
    }
  });
}

}  // namespace

StreamingLoader::StreamingLoader(std::string dir, ImageList images, int64_t seed, StreamingOptions options)
    : dir_(std::move(dir)), images_(std::move(images)), seed_(static_cast<uint64_t>(seed)), options_(std::move(options)) {
  if (images_.empty()) throw std::invalid_argument(fmt::format("{}: no images to load", dir_));
  if (options_.batch_size < 1) {
    throw std::invalid_argument(fmt::format("batch size: expected >= 1, found {}", options_.batch_size));
  }
  if (options_.workers < 1) throw std::invalid_argument(fmt::format("data.workers: expected >= 1, found {}", options_.workers));
  if (options_.prefetch < 1) throw std::invalid_argument(fmt::format("prefetch: expected >= 1, found {}", options_.prefetch));
  if (options_.transform.size < 1) {
    throw std::invalid_argument(fmt::format("data.image_size: expected >= 1, found {}", options_.transform.size));
  }
  check_replica(options_.replica);
  normalize_ = Normalizer(options_.mean, options_.stddev, options_.device);
  image_bytes_ = options_.transform.size * options_.transform.size * 3;
  starts_.push_back(0);
  for (int64_t batch = 0; batch < num_batches(); ++batch) {
    const PositionRange part = replica_positions(size(), options_.batch_size, batch, options_.replica);
    for (int64_t position = part.begin; position < part.end; ++position) positions_.push_back(position);
    starts_.push_back(static_cast<int64_t>(positions_.size()));
    slot_rows_ = std::max(slot_rows_, part.size());
  }
  slots_.resize(static_cast<size_t>(options_.prefetch));
  for (Slot& slot : slots_) {
    slot.labels.resize(static_cast<size_t>(slot_rows_));
    slot.errors.resize(static_cast<size_t>(slot_rows_));
  }
  for (int64_t i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { work(); });
}

StreamingLoader::~StreamingLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  work_ready_.notify_all();
  for (auto& thread : threads_) thread.join();
}

int64_t StreamingLoader::num_batches() const { return (size() + options_.batch_size - 1) / options_.batch_size; }

int64_t StreamingLoader::batch_length(int64_t batch) const {
  return starts_[static_cast<size_t>(batch) + 1] - starts_[static_cast<size_t>(batch)];
}

int64_t StreamingLoader::batch_of(int64_t claim) const {
  return (std::upper_bound(starts_.begin(), starts_.end(), claim) - starts_.begin()) - 1;
}

torch::Tensor StreamingLoader::new_slot_buffer() const {
  const int64_t side = options_.transform.size;
  auto type = torch::TensorOptions().dtype(torch::kUInt8);
  // Pinned host memory exists only with CUDA; the device was checked to be a usable one before this.
  if (options_.device.is_cuda()) type = type.pinned_memory(true);
  return torch::empty({slot_rows_, side, side, 3}, type);
}

void StreamingLoader::begin_epoch(int64_t epoch) {
  if (epoch < 0) throw std::invalid_argument(fmt::format("epoch: expected >= 0, found {}", epoch));
  std::vector<int64_t> epoch_order(static_cast<size_t>(size()));
  for (int64_t i = 0; i < size(); ++i) epoch_order[static_cast<size_t>(i)] = i;
  if (options_.shuffle) {
    Rng rng(combine_seeds(combine_seeds(seed_, kOrderStream), static_cast<uint64_t>(epoch)));
    rng.shuffle(epoch_order);
  }
  std::vector<int64_t> order(positions_.size());
  for (size_t i = 0; i < positions_.size(); ++i) order[i] = epoch_order[static_cast<size_t>(positions_[i])];
  std::unique_lock<std::mutex> lock(mutex_);
  ++generation_;
  active_ = false;
  batch_ready_.wait(lock, [&] { return busy_ == 0; });  // images of the old epoch still being written
  order_ = std::move(order);
  epoch_ = epoch;
  claimed_ = consumed_ = skipped_this_epoch_ = 0;
  for (Slot& slot : slots_) slot.batch = -1;
  active_ = true;
  lock.unlock();
  work_ready_.notify_all();
}

void StreamingLoader::work() {
  ImageTransformer transform(options_.transform);
  std::vector<uint8_t> bytes;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] {
      return stop_ || (active_ && claimed_ < static_cast<int64_t>(order_.size()) &&
                       batch_of(claimed_) < consumed_ + options_.prefetch);
    });
    if (stop_) return;
    const int64_t position = claimed_++;
    const int64_t batch = batch_of(position);
    const int64_t row = position - starts_[static_cast<size_t>(batch)];
    Slot& slot = slots_[static_cast<size_t>(batch % options_.prefetch)];
    if (slot.batch != batch) {  // the first image of this batch: the slot's previous batch was handed over
      slot.batch = batch;
      slot.pending = batch_length(batch);
      if (!slot.images.defined() || options_.device.is_cuda()) slot.images = new_slot_buffer();
    }
    const int64_t image = order_[static_cast<size_t>(position)];
    const uint64_t generation = generation_;
    const uint64_t seed = image_seed(seed_, epoch_, image);
    uint8_t* out = slot.images.data_ptr<uint8_t>() + row * image_bytes_;
    const std::string path = (std::filesystem::path(dir_) / std::string(images_.path(image))).string();
    ++busy_;
    lock.unlock();

    std::string error;
    const double cpu_start = thread_cpu_seconds();
    try {
      read_file_bytes(path, bytes);
      transform(bytes.data(), bytes.size(), path, seed, out);
    } catch (const std::exception& e) {
      error = e.what();
    }
    const double cpu = thread_cpu_seconds() - cpu_start;

    lock.lock();
    --busy_;
    decode_cpu_seconds_ += cpu;
    if (generation == generation_) {
      slot.labels[static_cast<size_t>(row)] = images_.label(image);
      slot.errors[static_cast<size_t>(row)] = std::move(error);
      if (--slot.pending == 0) batch_ready_.notify_all();
    } else if (busy_ == 0) {
      batch_ready_.notify_all();  // begin_epoch() waits for the abandoned epoch's last image
    }
  }
}

bool StreamingLoader::next(Batch& batch) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!active_) throw std::logic_error("StreamingLoader::next() before begin_epoch()");
  if (consumed_ >= num_batches()) {
    if (skipped_this_epoch_ > 0) {
      warnings_.push_back(fmt::format("epoch {}: {} unreadable image{} of {} left out (data.on_bad_image: skip)",
                                      epoch_ + 1, skipped_this_epoch_, skipped_this_epoch_ == 1 ? "" : "s", dir_));
      skipped_this_epoch_ = 0;
    }
    return false;
  }
  const int64_t index = consumed_;
  if (batch_length(index) == 0) {  // this replica's empty part of a small last batch
    const int64_t side = options_.transform.size;
    batch.images = torch::empty({0, 3, side, side}, torch::TensorOptions().device(options_.device));
    batch.labels = torch::empty({0}, torch::TensorOptions().dtype(torch::kLong).device(options_.device));
    batch.index = index;
    ++consumed_;
    lock.unlock();
    work_ready_.notify_all();
    return true;
  }
  Slot& slot = slots_[static_cast<size_t>(index % options_.prefetch)];
  const auto wait_start = std::chrono::steady_clock::now();
  batch_ready_.wait(lock, [&] { return slot.batch == index && slot.pending == 0; });
  wait_seconds_.store(wait_seconds_.load() +
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - wait_start).count());

  const int64_t length = batch_length(index);
  std::vector<int64_t> rows;
  rows.reserve(static_cast<size_t>(length));
  for (int64_t row = 0; row < length; ++row) {
    const std::string& error = slot.errors[static_cast<size_t>(row)];
    if (error.empty()) {
      rows.push_back(row);
      continue;
    }
    if (!options_.skip_bad_images) throw DecodeError(error + " (data.on_bad_image: fail; skip leaves such files out)");
    ++skipped_this_epoch_;
    const int64_t image = order_[static_cast<size_t>(starts_[static_cast<size_t>(index)] + row)];
    if (reported_bad_.insert(image).second) warnings_.push_back("left out: " + error);
  }
  if (rows.empty()) {
    throw DecodeError(fmt::format("{}: every image of batch {} of epoch {} is unreadable, the first: {}", dir_,
                                  index + 1, epoch_ + 1, slot.errors[0]));
  }
  torch::Tensor images = slot.images.narrow(0, 0, length);
  std::vector<int64_t> labels(static_cast<size_t>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) labels[i] = slot.labels[static_cast<size_t>(rows[i])];
  if (static_cast<int64_t>(rows.size()) < length) {
    images = images.index_select(0, torch::tensor(rows, torch::kLong));
    if (options_.device.is_cuda()) images = images.pin_memory();
  }
  lock.unlock();

  // uint8 NHWC seen as NCHW is channels_last memory: the (pinned) bytes go to the device as they are, and the
  // device makes normalised floats of them in one pass, in the memory format asked for.
  const torch::Tensor on_device =
      images.to(options_.device, /*non_blocking=*/options_.device.is_cuda()).permute({0, 3, 1, 2});
  if (options_.device.is_cpu()) {
    torch::Tensor out = cpu_output(on_device);
    normalize_on_cpu(images, normalize_, options_.channels_last, out);
    batch.images = std::move(out);
  } else {  // CUDA's caching allocator reuses device memory by itself
    batch.images = options_.channels_last ? normalize_(on_device) : normalize_(on_device).contiguous();
  }
  batch.labels = torch::tensor(labels, torch::kLong).to(options_.device, /*non_blocking=*/false);
  batch.index = index;

  lock.lock();
  ++consumed_;  // the slot is free again: on the CPU its pixels were copied by the normalisation above
  lock.unlock();
  work_ready_.notify_all();
  return true;
}

double StreamingLoader::decode_cpu_seconds() {
  std::lock_guard<std::mutex> lock(mutex_);
  return decode_cpu_seconds_;
}

torch::Tensor StreamingLoader::cpu_output(const torch::Tensor& like) {
  // A batch nobody holds any more (the caller, autograd and views all count as holders) is overwritten;
  // a fresh one would cost a page fault per 4 KB: a third of the pipeline's CPU time at batch 64.
  const auto format = options_.channels_last ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
  for (torch::Tensor& buffer : outputs_) {
    if (buffer.storage().use_count() == 1 && buffer.use_count() == 1 && buffer.sizes() == like.sizes()) return buffer;
  }
  torch::Tensor buffer = torch::empty(like.sizes(), torch::TensorOptions().dtype(torch::kFloat).memory_format(format));
  if (outputs_.size() < kReusedOutputs) outputs_.push_back(buffer);
  return buffer;
}

std::vector<std::string> StreamingLoader::take_warnings() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  out.swap(warnings_);
  return out;
}

void StreamingLoader::add_warning(std::string warning) {
  std::lock_guard<std::mutex> lock(mutex_);
  warnings_.push_back(std::move(warning));
}

}  // namespace ablate::data
