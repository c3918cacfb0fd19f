#include "core/data/cifar.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "core/data/file_bytes.h"

namespace ablate::data {

CifarLayout cifar10_layout() { return CifarLayout{}; }

CifarLayout cifar100_layout(bool fine) {
  CifarLayout layout;
  layout.label_bytes = 2;
  layout.label_offset = fine ? 1 : 0;
  layout.num_classes = fine ? 100 : 20;
  return layout;
}

CifarArray read_cifar(const std::string& path, const CifarLayout& layout) {
  const std::vector<uint8_t> bytes = read_file_bytes(path);
  const auto record = static_cast<size_t>(layout.record_bytes());
  if (bytes.empty() || bytes.size() % record != 0) {
    throw std::runtime_error(fmt::format("{}: expected a non-zero multiple of {} bytes (whole records), found {} bytes",
                                         path, record, bytes.size()));
  }
  CifarArray array;
  array.count = static_cast<int64_t>(bytes.size() / record);
  array.pixels.resize(static_cast<size_t>(array.count) * CifarLayout::kPixelBytes);
  array.labels.resize(static_cast<size_t>(array.count));
  for (int64_t i = 0; i < array.count; ++i) {
    const uint8_t* rec = bytes.data() + static_cast<size_t>(i) * record;
    const int64_t label = rec[layout.label_offset];
    if (label >= layout.num_classes) {
      throw std::runtime_error(fmt::format("{}: record {} (byte offset {}) has label {}, expected 0..{}", path, i,
                                           static_cast<size_t>(i) * record + layout.label_offset, label,
                                           layout.num_classes - 1));
    }
    array.labels[i] = label;
    std::copy(rec + layout.label_bytes, rec + record,
              array.pixels.begin() + static_cast<std::ptrdiff_t>(i * CifarLayout::kPixelBytes));
  }
  return array;
}

void append(CifarArray& into, CifarArray&& more) {
  if (into.count == 0) {
    into = std::move(more);
    return;
  }
  into.count += more.count;
  into.pixels.insert(into.pixels.end(), more.pixels.begin(), more.pixels.end());
  into.labels.insert(into.labels.end(), more.labels.begin(), more.labels.end());
}

}  // namespace ablate::data
