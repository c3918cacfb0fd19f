// The ImageFolder index: torchvision's classes, order and extension rule; the cache beside the tree, reused
// while the tree is unchanged and rebuilt when it changes.
#include "core/data/image_folder_index.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/config/image_folder_classes.h"
#include "fixtures.h"

namespace ablate::data {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> paths_of(const SplitIndex& split) {
  std::vector<std::string> out;
  for (int64_t i = 0; i < split.images.size(); ++i) out.emplace_back(split.images.path(i));
  return out;
}

TEST(ImageFolderIndex, ClassesAreSortedFolderNamesAndFilesFollowTorchvisionsWalk) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  for (const char* file : {"train/b_dog/2.jpg", "train/b_dog/10.JPEG", "train/b_dog/sub/x.png", "train/b_dog/sub-a/y.jpeg",
                           "train/b_dog/sub/deeper/w.jpg",
                           "train/a_cat/z.JPEG", "train/a_cat/notes.txt", "train/C_upper/u.webp", "val/a_cat/v.JPEG"}) {
    testing::write_bytes((root / file).string(), {1, 2, 3});
  }
  fs::create_directories(root / "train" / "d_empty");
  const ImageFolderIndex index = index_image_folder(root.string());

  // Byte order, as Python's sorted(): upper case first.
  EXPECT_EQ(index.train.classes, (std::vector<std::string>{"C_upper", "a_cat", "b_dog", "d_empty"}));
  // os.walk's folders sorted by path ("sub-a" sorts before "sub/deeper": '-' < '/'), files by name within each.
  EXPECT_EQ(paths_of(index.train),
            (std::vector<std::string>{"C_upper/u.webp", "a_cat/z.JPEG", "b_dog/10.JPEG", "b_dog/2.jpg", "b_dog/sub/x.png",
                                      "b_dog/sub-a/y.jpeg", "b_dog/sub/deeper/w.jpg"}));
  EXPECT_EQ(index.train.images.labels(), (std::vector<int64_t>{0, 1, 2, 2, 2, 2, 2}));
  EXPECT_EQ(index.train.ignored, (std::vector<std::string>{"a_cat/notes.txt"}));
  EXPECT_EQ(index.train.class_sizes(), (std::vector<int64_t>{1, 1, 5, 0}));
  EXPECT_EQ(index.val.classes, (std::vector<std::string>{"a_cat"}));
  EXPECT_TRUE(index.val.exists);
  // The config layer counts classes with the same rule.
  EXPECT_EQ(*config::image_folder_classes((root / "train").string()), index.train.classes);
}

TEST(ImageFolderIndex, IsCachedBesideTheTreeAndRebuiltWhenTheTreeChanges) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  testing::write_bytes((root / "train/a/1.JPEG").string(), {1});
  testing::write_bytes((root / "val/a/1.JPEG").string(), {1});
  const ImageFolderIndex first = index_image_folder(root.string());
  EXPECT_FALSE(first.from_cache);
  EXPECT_EQ(first.cache_path, (fs::canonical(root) / ".ablate-index").string());
  ASSERT_TRUE(fs::exists(first.cache_path));

  const ImageFolderIndex again = index_image_folder(root.string());
  EXPECT_TRUE(again.from_cache);
  EXPECT_EQ(paths_of(again.train), paths_of(first.train));
  EXPECT_EQ(again.val.classes, first.val.classes);

  // A new file changes its folder's time: the cache is stale. (Folder times can be as coarse as a
  // jiffy; wait so the change is visible.)
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  testing::write_bytes((root / "train/a/2.JPEG").string(), {1});
  const ImageFolderIndex changed = index_image_folder(root.string());
  EXPECT_FALSE(changed.from_cache);
  EXPECT_EQ(changed.train.images.size(), 2);
  EXPECT_TRUE(index_image_folder(root.string()).from_cache);

  // A new class folder changes train/'s time.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  testing::write_bytes((root / "train/b/1.JPEG").string(), {1});
  const ImageFolderIndex more = index_image_folder(root.string());
  EXPECT_FALSE(more.from_cache);
  EXPECT_EQ(more.train.classes, (std::vector<std::string>{"a", "b"}));
}

TEST(ImageFolderIndex, AMissingSplitIsReportedNotThrown) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("train/a/1.jpg"), {1});
  const ImageFolderIndex index = index_image_folder(dir.path());
  EXPECT_TRUE(index.train.exists);
  EXPECT_FALSE(index.val.exists);
  EXPECT_TRUE(index.val.images.empty());
  // val appearing later is noticed although no stamped folder changed.
  testing::write_bytes(dir.file("val/a/1.jpg"), {1});
  EXPECT_TRUE(index_image_folder(dir.path()).val.exists);
}

TEST(ImageFolderIndex, ExtensionsAreTorchvisions) {
  for (const char* name : {"a.jpg", "a.JPEG", "a.Png", "a.ppm", "a.bmp", "a.pgm", "a.tif", "a.TIFF", "a.webp"}) {
    EXPECT_TRUE(has_image_extension(name)) << name;
  }
  for (const char* name : {"a.gif", "a.txt", "jpg", "a.jpg.bak", "README"}) EXPECT_FALSE(has_image_extension(name)) << name;
}

TEST(ImageList, PacksPathsAndSelects) {
  ImageList list;
  list.add("a/1.jpg", 0);
  list.add("b/22.jpg", 1);
  list.add("c/333.jpg", 2);
  EXPECT_EQ(list.path(1), "b/22.jpg");
  const ImageList picked = list.select({2, 0});
  ASSERT_EQ(picked.size(), 2);
  EXPECT_EQ(picked.path(0), "c/333.jpg");
  EXPECT_EQ(picked.label(1), 0);
}

}  // namespace
}  // namespace ablate::data
