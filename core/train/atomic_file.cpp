#include "core/train/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <fmt/format.h>

namespace ablate::train {

namespace {

void fsync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), fmt::format("open {} for fsync", path.string()));
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0) throw std::system_error(error, std::generic_category(), fmt::format("fsync {}", path.string()));
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(const std::string& temp_path)>& write) {
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::filesystem::create_directories(directory);
  const std::filesystem::path temp = directory / fmt::format("{}.tmp-{}", path.filename().string(), ::getpid());
  try {
    write(temp.string());
    fsync_path(temp, O_RDONLY);
    std::error_code error;
    std::filesystem::rename(temp, path, error);
    if (error) throw std::system_error(error, fmt::format("rename {} to {}", temp.string(), path.string()));
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
  fsync_path(directory, O_RDONLY | O_DIRECTORY);
}

}  // namespace ablate::train
