#pragma once
// Image files made by the tests themselves, for the ImageFolder pipeline: JPEGs encoded with libjpeg-turbo
// (RGB, grayscale, CMYK), PNGs with libpng, damaged files, and whole ROOT/{train,val}/<class>/ trees whose
// classes differ by colour (so a small network can learn them). Nothing is downloaded.

#include <png.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ablate::testing {

struct Pixels {
  int width = 0;
  int height = 0;
  int channels = 3;           // 1 (gray), 3 (RGB) or 4 (CMYK)
  std::vector<uint8_t> data;  // height x width x channels
  uint8_t* at(int x, int y) { return data.data() + (static_cast<size_t>(y) * width + x) * channels; }
};

inline Pixels filled(int width, int height, std::vector<uint8_t> value) {
  Pixels p{width, height, static_cast<int>(value.size()), {}};
  p.data.resize(static_cast<size_t>(width) * height * p.channels);
  for (size_t i = 0; i < p.data.size(); ++i) p.data[i] = value[i % value.size()];
  return p;
}

// A class's image: its base colour, shaded by a gradient and a per-image ripple, so no two images are equal.
inline Pixels class_image(int width, int height, int label, int image) {
  static const uint8_t kColours[][3] = {{200, 40, 40}, {40, 180, 60}, {50, 60, 210}, {200, 190, 40}, {150, 50, 170}};
  const uint8_t* base = kColours[label % 5];
  Pixels p = filled(width, height, {0, 0, 0});
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int shade = (x * 31 / width + y * 17 / height + ((x + y + image * 7) % 11)) - 20;
      for (int c = 0; c < 3; ++c) p.at(x, y)[c] = static_cast<uint8_t>(std::clamp(base[c] + shade, 0, 255));
    }
  }
  return p;
}

inline std::vector<uint8_t> encode_jpeg(const Pixels& p, int quality = 90) {
  tjhandle handle = tjInitCompress();
  const int format = p.channels == 1 ? TJPF_GRAY : p.channels == 4 ? TJPF_CMYK : TJPF_RGB;
  const int subsampling = p.channels == 1 ? TJSAMP_GRAY : TJSAMP_420;
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  if (tjCompress2(handle, p.data.data(), p.width, 0, p.height, format, &jpeg, &size, subsampling, quality, 0) != 0) {
    const std::string message = tjGetErrorStr2(handle);
    tjDestroy(handle);
    throw std::runtime_error("tjCompress2: " + message);
  }
  std::vector<uint8_t> out(jpeg, jpeg + size);
  tjFree(jpeg);
  tjDestroy(handle);
  return out;
}

inline std::vector<uint8_t> encode_png(const Pixels& p) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(p.width);
  image.height = static_cast<png_uint_32>(p.height);
  image.format = p.channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, p.data.data(), 0, nullptr)) {
    throw std::runtime_error(std::string("png size: ") + image.message);
  }
  std::vector<uint8_t> out(size);
  if (!png_image_write_to_memory(&image, out.data(), &size, 0, p.data.data(), 0, nullptr)) {
    throw std::runtime_error(std::string("png write: ") + image.message);
  }
  out.resize(size);
  return out;
}

inline void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// ROOT/train/<class>/<class>_<i>.JPEG and ROOT/val/<class>/..., `train` and `val` images per class, sizes
// cycling through a few aspect ratios around `side` (landscape, portrait, square).
inline void write_class_tree(const std::filesystem::path& root, const std::vector<std::string>& classes, int train,
                             int val, int side = 48) {
  const int sizes[][2] = {{side * 4 / 3, side}, {side, side * 4 / 3}, {side, side}, {side * 3 / 2, side * 5 / 4}};
  for (size_t label = 0; label < classes.size(); ++label) {
    for (const auto& [split, count] : {std::pair<const char*, int>{"train", train}, {"val", val}}) {
      for (int i = 0; i < count; ++i) {
        const auto* size = sizes[i % 4];
        const Pixels p = class_image(size[0], size[1], static_cast<int>(label), i + (split[0] == 'v' ? 1000 : 0));
        write_file(root / split / classes[label] / (classes[label] + "_" + std::to_string(i) + ".JPEG"), encode_jpeg(p));
      }
    }
  }
}

}  // namespace ablate::testing
