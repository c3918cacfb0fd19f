#pragma once
// The index of an ImageFolder tree (ROOT/train/<class>/..., ROOT/val/<class>/...): every image of each
// split with its class, in torchvision ImageFolder's order, so sample i and its label here are sample i
// and its label there. Torch-free.
//
// What torchvision's ImageFolder does, and so what this does:
//  - classes: image_folder_classes() (core/config): the sub-folders of the split folder, sorted by name;
//  - images: each class folder is walked recursively (symbolic links followed), folders in sorted path
//    order, files sorted by name within a folder; a file is an image when its lower-cased name ends in
//    .jpg .jpeg .png .ppm .bmp .pgm .tif .tiff or .webp. Other files are left out (and listed in
//    `ignored`, for `ablate data check`). Whether an image decodes is not checked here.
//
// Walking 1.28M files takes a while on a network file system, so the index is cached: in
// ROOT/.ablate-index when ROOT is writable, else in $XDG_CACHE_HOME/ablate (or ~/.cache/ablate) under a
// name derived from ROOT's absolute path. The cache records the modification time of every folder it
// walked; it is used only when all of them are unchanged (adding, removing or renaming a file or folder
// changes its parent folder's time), otherwise the tree is walked again and the cache rewritten.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ablate::data {

// Image paths relative to their split folder ("n01440764/n01440764_10026.JPEG") with their labels,
// packed in one buffer: ImageNet's 1.28M names take about 40 MB this way, not the ~100 MB of one
// std::string each.
class ImageList {
 public:
  void add(std::string_view relative_path, int64_t label);
  int64_t size() const { return static_cast<int64_t>(labels_.size()); }
  bool empty() const { return labels_.empty(); }
  std::string_view path(int64_t i) const;
  int64_t label(int64_t i) const { return labels_[static_cast<size_t>(i)]; }
  const std::vector<int64_t>& labels() const { return labels_; }
  // The images at `indices`, in that order.
  ImageList select(const std::vector<int64_t>& indices) const;

 private:
  std::string names_;           // every path, back to back
  std::vector<uint64_t> ends_;  // end offset of path i in names_
  std::vector<int64_t> labels_;
};

struct SplitIndex {
  std::string name;                  // "train" | "val"
  std::string dir;                   // ROOT/<name>
  bool exists = false;               // false: no such folder (everything below is empty)
  std::vector<std::string> classes;  // this split's class folders, sorted
  ImageList images;                  // labels index `classes` of this split
  std::vector<std::string> ignored;  // files without an image extension, relative to `dir`

  // Images per class of this split (indexed like `classes`).
  std::vector<int64_t> class_sizes() const;
};

struct ImageFolderIndex {
  std::string root;
  SplitIndex train;
  SplitIndex val;
  // Where the index lives: the cache file read or written; empty when none could be written (then
  // `cache_note` says why and the next run walks the tree again).
  std::string cache_path;
  bool from_cache = false;
  std::string cache_note;
};

// True when torchvision's ImageFolder counts `file_name` as an image (by its extension alone).
bool has_image_extension(std::string_view file_name);

// Reads the cached index of `root` when it is current, else walks the tree and caches the result.
// A missing split folder is not an error here (SplitIndex::exists is false); an unreadable folder is:
// throws std::runtime_error naming it.
ImageFolderIndex index_image_folder(const std::string& root);

}  // namespace ablate::data
