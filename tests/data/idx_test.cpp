#include "core/data/idx.h"

#include <gtest/gtest.h>

#include "core/data/file_bytes.h"
#include "fixtures.h"

namespace ablate::data {
namespace {

using testing::expect_error;
using testing::TempDir;

IdxArray small_images() {
  IdxArray array;
  array.dims = {3, 4, 5};
  for (int i = 0; i < 60; ++i) array.values.push_back(static_cast<uint8_t>(i * 7));
  return array;
}

TEST(Idx, ReadsPlainAndGzipFilesBack) {
  TempDir dir;
  const IdxArray original = small_images();
  testing::write_bytes(dir.file("plain-idx3-ubyte"), encode_idx(original));
  testing::write_gz(dir.file("packed-idx3-ubyte.gz"), encode_idx(original));
  for (const char* name : {"plain-idx3-ubyte", "packed-idx3-ubyte.gz"}) {
    const IdxArray read = read_idx(dir.file(name), 3);
    EXPECT_EQ(read.dims, original.dims) << name;
    EXPECT_EQ(read.values, original.values) << name;
  }
}

TEST(Idx, TruncatedFileNamesExpectedAndFoundLengths) {
  TempDir dir;
  std::vector<uint8_t> bytes = encode_idx(small_images());  // 16 + 60 = 76 bytes
  bytes.resize(50);
  testing::write_bytes(dir.file("cut"), bytes);
  expect_error([&] { read_idx(dir.file("cut"), 3); }, {dir.file("cut"), "expected 76 bytes", "found 50"});
  testing::write_gz(dir.file("cut.gz"), bytes);
  expect_error([&] { read_idx(dir.file("cut.gz"), 3); }, {"expected 76 bytes", "found 50 uncompressed"});
}

TEST(Idx, TrailingBytesAreAnError) {
  TempDir dir;
  std::vector<uint8_t> bytes = encode_idx(small_images());
  bytes.push_back(0);
  testing::write_bytes(dir.file("long"), bytes);
  expect_error([&] { read_idx(dir.file("long"), 3); }, {"expected 76 bytes", "found 77"});
}

TEST(Idx, WrongMagicTypeOrRankIsNamed) {
  TempDir dir;
  std::vector<uint8_t> bytes = encode_idx(small_images());
  bytes[0] = 0x1;
  testing::write_bytes(dir.file("magic"), bytes);
  expect_error([&] { read_idx(dir.file("magic"), 3); }, {dir.file("magic"), "magic 00 00", "found 01 00"});
  bytes[0] = 0;
  bytes[2] = 0x0D;
  testing::write_bytes(dir.file("float"), bytes);
  expect_error([&] { read_idx(dir.file("float"), 3); }, {"element type 0x0d", "0x08"});
  bytes[2] = 0x08;
  testing::write_bytes(dir.file("rank"), bytes);
  expect_error([&] { read_idx(dir.file("rank"), 1); }, {"expected an IDX array of rank 1, found rank 3"});
}

TEST(Idx, CorruptAndTruncatedGzipAreNamed) {
  TempDir dir;
  IdxArray big;
  big.dims = {64, 32, 32};
  for (int i = 0; i < 64 * 32 * 32; ++i) big.values.push_back(static_cast<uint8_t>((i * 131) >> 3));
  const std::vector<uint8_t> packed = testing::gzip_bytes(encode_idx(big));

  std::vector<uint8_t> cut(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(packed.size() / 2));
  testing::write_bytes(dir.file("cut.gz"), cut);
  expect_error([&] { read_idx(dir.file("cut.gz"), 3); }, {dir.file("cut.gz"), "truncated gzip data"});

  std::vector<uint8_t> corrupt = packed;
  for (size_t i = 20; i < 60 && i < corrupt.size(); ++i) corrupt[i] ^= 0xA5;
  testing::write_bytes(dir.file("corrupt.gz"), corrupt);
  expect_error([&] { read_idx(dir.file("corrupt.gz"), 3); }, {dir.file("corrupt.gz"), "gzip"});
}

TEST(Idx, MissingFileIsNamed) {
  TempDir dir;
  expect_error([&] { read_idx(dir.file("absent"), 3); }, {dir.file("absent"), "no such file"});
}

TEST(FindDataFile, AcceptsPlainAndGzipNames) {
  TempDir dir;
  testing::write_bytes(dir.file("a-idx1-ubyte"), {1});
  testing::write_bytes(dir.file("b-idx1-ubyte.gz"), {1});
  EXPECT_EQ(find_data_file(dir.path(), "a-idx1-ubyte"), dir.file("a-idx1-ubyte"));
  EXPECT_EQ(find_data_file(dir.path(), "a-idx1-ubyte.gz"), dir.file("a-idx1-ubyte"));
  EXPECT_EQ(find_data_file(dir.path(), "b-idx1-ubyte"), dir.file("b-idx1-ubyte.gz"));
  expect_error([&] { find_data_file(dir.path(), "c-idx1-ubyte"); },
               {dir.file("c-idx1-ubyte"), dir.file("c-idx1-ubyte.gz"), "no such file"});
}

TEST(Gunzip, ConcatenatedMembersAreOneStream) {
  std::vector<uint8_t> first{1, 2, 3}, second{4, 5};
  std::vector<uint8_t> joined = testing::gzip_bytes(first);
  const std::vector<uint8_t> tail = testing::gzip_bytes(second);
  joined.insert(joined.end(), tail.begin(), tail.end());
  EXPECT_EQ(gunzip(joined, "joined.gz"), (std::vector<uint8_t>{1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace ablate::data
