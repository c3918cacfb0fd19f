#include "core/data/image_folder_index.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "core/config/image_folder_classes.h"
#include "core/config/sha256.h"

namespace ablate::data {

namespace fs = std::filesystem;

void ImageList::add(std::string_view relative_path, int64_t label) {
  names_.append(relative_path);
  ends_.push_back(names_.size());
  labels_.push_back(label);
}

std::string_view ImageList::path(int64_t i) const {
  const size_t index = static_cast<size_t>(i);
  const size_t begin = index == 0 ? 0 : ends_[index - 1];
  return std::string_view(names_).substr(begin, ends_[index] - begin);
}

ImageList ImageList::select(const std::vector<int64_t>& indices) const {
  ImageList out;
  out.ends_.reserve(indices.size());
  out.labels_.reserve(indices.size());
  for (int64_t i : indices) out.add(path(i), label(i));
  return out;
}

std::vector<int64_t> SplitIndex::class_sizes() const {
  std::vector<int64_t> sizes(classes.size(), 0);
  for (int64_t label : images.labels()) ++sizes[static_cast<size_t>(label)];
  return sizes;
}

bool has_image_extension(std::string_view file_name) {
  static constexpr std::array<std::string_view, 9> kExtensions = {".jpg", ".jpeg", ".png", ".ppm", ".bmp",
                                                                  ".pgm", ".tif",  ".tiff", ".webp"};
  std::string lower(file_name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view ext : kExtensions) {
    if (lower.size() >= ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0) return true;
  }
  return false;
}

namespace {

constexpr const char* kCacheHeader = "ablate image-folder index 1";
constexpr const char* kCacheFileName = ".ablate-index";

// A folder's modification time as an integer, for equality tests only.
int64_t modification_stamp(const fs::path& dir) {
  std::error_code ec;
  const auto time = fs::last_write_time(dir, ec);
  if (ec) return -1;
  return static_cast<int64_t>(time.time_since_epoch().count());
}

struct WalkedDir {
  std::string path;  // relative to the root
  int64_t stamp;
};

std::string relative_to(const fs::path& path, const fs::path& base) { return path.lexically_relative(base).generic_string(); }

// torchvision: `for root, _, fnames in sorted(os.walk(class_dir, followlinks=True)): for f in sorted(fnames)`.
void walk_class(const fs::path& split_dir, const std::string& class_name, int64_t label, const fs::path& root,
                SplitIndex& split, std::vector<WalkedDir>& walked) {
  std::vector<std::string> folders = {""};  // relative to the class folder; "" = the class folder itself
  std::error_code canonical_ec;  // real paths of the folders walked: a link cycle is walked once
  std::vector<fs::path> seen = {fs::canonical(split_dir / class_name, canonical_ec)};
  for (size_t next = 0; next < folders.size(); ++next) {
    const fs::path dir = split_dir / class_name / folders[next];
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::error_code type_ec;
      if (!it->is_directory(type_ec)) continue;
      const fs::path real = fs::canonical(it->path(), type_ec);
      if (std::find(seen.begin(), seen.end(), real) != seen.end()) continue;
      seen.push_back(real);
      folders.push_back((fs::path(folders[next]) / it->path().filename()).generic_string());
    }
    if (ec) throw std::runtime_error(fmt::format("{}: cannot list ({})", dir.string(), ec.message()));
  }
  std::sort(folders.begin(), folders.end());
  for (const std::string& folder : folders) {
    const fs::path dir = split_dir / class_name / folder;
    walked.push_back({relative_to(dir, root), modification_stamp(dir)});
    std::vector<std::string> files;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::error_code type_ec;
      if (!it->is_directory(type_ec)) files.push_back(it->path().filename().string());
    }
    if (ec) throw std::runtime_error(fmt::format("{}: cannot list ({})", dir.string(), ec.message()));
    std::sort(files.begin(), files.end());
    const std::string prefix = class_name + "/" + (folder.empty() ? "" : folder + "/");
    for (const std::string& file : files) {
      const std::string path = prefix + file;
      if (has_image_extension(file)) {
        split.images.add(path, label);
      } else {
        split.ignored.push_back(path);
      }
    }
  }
}

SplitIndex walk_split(const fs::path& root, const std::string& name, std::vector<WalkedDir>& walked) {
  SplitIndex split;
  split.name = name;
  split.dir = (root / name).string();
  const auto classes = config::image_folder_classes(split.dir);
  std::error_code ec;
  if (!classes) {
    if (fs::exists(split.dir, ec)) throw std::runtime_error(fmt::format("{}: not a readable folder", split.dir));
    return split;
  }
  split.exists = true;
  split.classes = *classes;
  walked.push_back({name, modification_stamp(split.dir)});
  for (size_t label = 0; label < split.classes.size(); ++label) {
    walk_class(split.dir, split.classes[label], static_cast<int64_t>(label), root, split, walked);
  }
  return split;
}

// ---- the cache file ----
// Lines: the header; "root\t<absolute root>"; "dir\t<stamp>\t<folder relative to root>" per walked folder;
// then per split "split\t<name>\t<exists>", "class\t<name>"..., "image\t<label>\t<path>"...,
// "ignored\t<path>"...; "end". Tabs and newlines cannot occur in names that are written (see writable()).

bool writable_names(const SplitIndex& split) {
  const auto clean = [](std::string_view s) { return s.find_first_of("\t\n\r") == std::string_view::npos; };
  for (const auto& c : split.classes) {
    if (!clean(c)) return false;
  }
  for (int64_t i = 0; i < split.images.size(); ++i) {
    if (!clean(split.images.path(i))) return false;
  }
  for (const auto& f : split.ignored) {
    if (!clean(f)) return false;
  }
  return true;
}

void write_split(std::ostream& out, const SplitIndex& split) {
  out << "split\t" << split.name << '\t' << (split.exists ? 1 : 0) << '\n';
  for (const auto& c : split.classes) out << "class\t" << c << '\n';
  for (int64_t i = 0; i < split.images.size(); ++i) out << "image\t" << split.images.label(i) << '\t' << split.images.path(i) << '\n';
  for (const auto& f : split.ignored) out << "ignored\t" << f << '\n';
}

// Writes next to `path` and renames over it: a reader never sees half a file, two writers leave one whole one.
bool write_cache(const fs::path& path, const ImageFolderIndex& index, const std::vector<WalkedDir>& walked,
                 std::string& error) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path temp = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = fmt::format("cannot write {}", temp.string());
      return false;
    }
    out << kCacheHeader << "\nroot\t" << index.root << '\n';
    for (const auto& d : walked) out << "dir\t" << d.stamp << '\t' << d.path << '\n';
    write_split(out, index.train);
    write_split(out, index.val);
    out << "end\n";
    out.flush();
    if (!out) {
      out.close();
      fs::remove(temp, ec);
      error = fmt::format("cannot write {}", temp.string());
      return false;
    }
  }
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    error = fmt::format("cannot rename into {} ({})", path.string(), ec.message());
    return false;
  }
  return true;
}

// The index in `path` when it exists, describes `root` and no folder it walked has changed since.
bool read_cache(const fs::path& path, const fs::path& root, ImageFolderIndex& index) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line) || line != kCacheHeader) return false;
  if (!std::getline(in, line) || line != "root\t" + root.string()) return false;
  SplitIndex* split = nullptr;
  bool complete = false;
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    const std::string_view kind = std::string_view(line).substr(0, tab);
    const std::string_view rest = tab == std::string::npos ? std::string_view() : std::string_view(line).substr(tab + 1);
    if (kind == "image" && split) {
      const size_t second = rest.find('\t');
      if (second == std::string_view::npos) return false;
      int64_t label = -1;
      std::from_chars(rest.data(), rest.data() + second, label);
      if (label < 0 || label >= static_cast<int64_t>(split->classes.size())) return false;
      split->images.add(rest.substr(second + 1), label);
    } else if (kind == "dir") {
      const size_t second = rest.find('\t');
      if (second == std::string_view::npos) return false;
      int64_t stamp = 0;
      std::from_chars(rest.data(), rest.data() + second, stamp);
      if (modification_stamp(root / std::string(rest.substr(second + 1))) != stamp) return false;
    } else if (kind == "split") {
      const std::string name(rest.substr(0, rest.find('\t')));
      split = name == "train" ? &index.train : name == "val" ? &index.val : nullptr;
      if (!split) return false;
      split->name = name;
      split->dir = (root / name).string();
      split->exists = rest.substr(rest.find('\t') + 1) == "1";
      // A split folder that appeared (or vanished) since: its parent, the root, is not stamped.
      std::error_code ec;
      if (split->exists != fs::is_directory(split->dir, ec)) return false;
    } else if (kind == "class" && split) {
      split->classes.emplace_back(rest);
    } else if (kind == "ignored" && split) {
      split->ignored.emplace_back(rest);
    } else if (kind == "end") {
      complete = true;
      break;
    } else {
      return false;
    }
  }
  return complete && index.train.name == "train" && index.val.name == "val";
}

fs::path user_cache_file(const fs::path& root) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path base = xdg && *xdg ? fs::path(xdg) : fs::path(home && *home ? home : "/tmp") / ".cache";
  return base / "ablate" / ("image-folder-" + config::sha256_hex(root.string()).substr(0, 16) + ".index");
}

}  // namespace

ImageFolderIndex index_image_folder(const std::string& root_dir) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(root_dir, ec), ec);
  const std::vector<fs::path> candidates = {root / kCacheFileName, user_cache_file(root)};
  for (const fs::path& candidate : candidates) {
    ImageFolderIndex cached;
    cached.root = root.string();
    if (read_cache(candidate, root, cached)) {
      cached.cache_path = candidate.string();
      cached.from_cache = true;
      return cached;
    }
  }

  ImageFolderIndex index;
  index.root = root.string();
  std::vector<WalkedDir> walked;
  index.train = walk_split(root, "train", walked);
  index.val = walk_split(root, "val", walked);
  if (!index.train.exists && !index.val.exists) return index;  // nothing worth caching
  if (!writable_names(index.train) || !writable_names(index.val)) {
    index.cache_note = "not cached: a file name holds a tab or a line break";
    return index;
  }
  std::string errors;
  for (const fs::path& candidate : candidates) {
    std::string error;
    if (write_cache(candidate, index, walked, error)) {
      index.cache_path = candidate.string();
      return index;
    }
    errors += (errors.empty() ? "" : "; ") + error;
  }
  index.cache_note = "not cached: " + errors;
  return index;
}

}  // namespace ablate::data
