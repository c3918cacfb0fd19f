#pragma once
// Whole-file reads for the dataset loaders, with transparent gzip: the Debian datasets ship
// `train-images-idx3-ubyte.gz`, users often keep the unpacked file. No LibTorch here.

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::data {

// The bytes of `path` as stored on disk. Throws std::runtime_error naming the path when it cannot be
// opened or read.
std::vector<uint8_t> read_file_bytes(const std::string& path);
// The same into `bytes`, reusing its capacity (the streaming image loader reads millions of files).
void read_file_bytes(const std::string& path, std::vector<uint8_t>& bytes);

// True when `bytes` start with the gzip magic (1f 8b).
bool is_gzip(const std::vector<uint8_t>& bytes);

// Inflates gzip data (concatenated members included). `path` only names the file in errors:
// corrupt data -> "<path>: corrupt gzip data (zlib: ...)", a cut-off stream -> "<path>: truncated gzip
// data ...".
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& path);

// The file a loader should read for `name` in `root`: `root/name` if it exists, else `root/name.gz`
// (or, when `name` ends in .gz, the name without it). Throws naming every path tried when none exists.
std::string find_data_file(const std::string& root, const std::string& name);

}  // namespace ablate::data
