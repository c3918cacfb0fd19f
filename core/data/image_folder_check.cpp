#include "core/data/image_folder_check.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/config/image_folder_classes.h"
#include "core/data/file_bytes.h"
#include "core/data/image_decoder.h"

namespace ablate::data {

namespace fs = std::filesystem;

bool ImageFolderCheck::usable() const {
  return train.exists && val.exists && train.classes > 0 && val.classes > 0 && train.unreadable.empty() &&
         val.unreadable.empty() && val_only_classes.empty();
}

namespace {

SplitCheck summarise(const SplitIndex& split) {
  SplitCheck out;
  out.name = split.name;
  out.dir = split.dir;
  out.exists = split.exists;
  out.classes = static_cast<int64_t>(split.classes.size());
  out.images = split.images.size();
  const std::vector<int64_t> sizes = split.class_sizes();
  if (!sizes.empty()) {
    out.fewest = *std::min_element(sizes.begin(), sizes.end());
    out.most = *std::max_element(sizes.begin(), sizes.end());
  }
  for (size_t c = 0; c < sizes.size(); ++c) {
    if (sizes[c] == 0) out.empty_classes.push_back(split.classes[c]);
  }
  for (const auto& file : split.ignored) out.ignored.push_back(split.name + "/" + file);
  return out;
}

// Reads and decodes every image of the splits; the failures, per split, in index order.
void decode_all(const std::vector<const SplitIndex*>& splits, std::vector<SplitCheck*> checks, int64_t workers,
                const std::function<void(int64_t, int64_t)>& progress, double progress_seconds) {
  struct Job {
    size_t split;
    int64_t image;
  };
  std::vector<Job> jobs;
  for (size_t s = 0; s < splits.size(); ++s) {
    for (int64_t i = 0; i < splits[s]->images.size(); ++i) jobs.push_back({s, i});
  }
  std::vector<std::string> errors(jobs.size());
  std::atomic<size_t> next{0}, done{0};
  const auto work = [&] {
    ImageDecoder decoder;
    std::vector<uint8_t> bytes;
    RgbImage image;
    for (size_t j = next++; j < jobs.size(); j = next++) {
      const SplitIndex& split = *splits[jobs[j].split];
      const std::string path = (fs::path(split.dir) / std::string(split.images.path(jobs[j].image))).string();
      try {
        read_file_bytes(path, bytes);
        const ImageHeader header = decoder.read_header(bytes.data(), bytes.size(), path);
        // The smallest reduction still reads every entropy-coded byte, so a cut-off file shows.
        const ScalingFactor smallest =
            header.format == ImageFormat::jpeg ? ImageDecoder::jpeg_reductions().back() : ScalingFactor{};
        decoder.decode(bytes.data(), bytes.size(), header, smallest, image, path);
      } catch (const std::exception& e) {
        errors[j] = e.what();
      }
      ++done;
    }
  };
  std::vector<std::thread> threads;
  for (int64_t i = 0; i < std::max<int64_t>(workers, 1); ++i) threads.emplace_back(work);
  auto last = std::chrono::steady_clock::now();
  while (done.load() < jobs.size()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (progress && std::chrono::duration<double>(std::chrono::steady_clock::now() - last).count() >= progress_seconds) {
      progress(static_cast<int64_t>(done.load()), static_cast<int64_t>(jobs.size()));
      last = std::chrono::steady_clock::now();
    }
  }
  for (auto& thread : threads) thread.join();
  for (size_t j = 0; j < jobs.size(); ++j) {
    if (errors[j].empty()) continue;
    const SplitIndex& split = *splits[jobs[j].split];
    checks[jobs[j].split]->unreadable.push_back(
        {split.name + "/" + std::string(split.images.path(jobs[j].image)), errors[j]});
  }
}

}  // namespace

ImageFolderCheck check_image_folder(const std::string& root, bool decode, int64_t workers,
                                    const std::function<void(int64_t, int64_t)>& progress, double progress_seconds) {
  const ImageFolderIndex index = index_image_folder(root);
  ImageFolderCheck out;
  out.root = index.root;
  out.index_cache = index.cache_path;
  out.index_from_cache = index.from_cache;
  out.index_note = index.cache_note;
  out.train = summarise(index.train);
  out.val = summarise(index.val);
  out.classes = index.train.classes;
  for (const auto& name : index.val.classes) {
    if (!std::binary_search(index.train.classes.begin(), index.train.classes.end(), name)) {
      out.val_only_classes.push_back(name);
    }
  }
  if (decode) {
    decode_all({&index.train, &index.val}, {&out.train, &out.val}, workers, progress, progress_seconds);
    out.decoded = true;
  }

  out.full_ilsvrc2012 = out.train.classes == config::kImageNetClasses && out.val.classes == config::kImageNetClasses &&
                        out.train.images == config::kImageNetTrainImages && out.val.images == config::kImageNetValImages &&
                        out.train.unreadable.empty() && out.val.unreadable.empty();
  return out;
}

}  // namespace ablate::data
