#pragma once
// JPEG and PNG files -> 8-bit RGB pixels, with libjpeg-turbo (TurboJPEG API) and libpng. Torch-free.
//
// - JPEG: grayscale, YCbCr and RGB JPEGs decode to RGB; CMYK/YCCK JPEGs (Adobe's inverted CMYK, as
//   Photoshop writes them and ILSVRC-2012 holds a few) are converted as libjpeg-turbo and Pillow convert
//   them: R = C * K / 255 on the stored (inverted) values. A JPEG can be decoded at 1/2, 1/4 or 1/8 of its
//   size in the DCT domain, which skips most of the inverse transform, upsampling and colour conversion
//   of a big image whose crop is small (libjpeg-turbo's other factors, 7/8 ... 3/8, have no SIMD code and
//   are slower than a full decode, so they are not used). At 1/1 the output is the same as Pillow's, which uses
//   the same library with the same settings (accurate integer IDCT, smooth chroma upsampling).
// - PNG (ILSVRC-2012 train holds one, named .JPEG): decoded by content, whatever the name; alpha dropped
//   onto black, 16-bit samples reduced to 8.
// - Anything else (BMP, TIFF, WebP, PPM, text...) is a DecodeError naming the file and what it looks like.
// A truncated JPEG (libjpeg's "Premature end of JPEG file") is an error, as it is for Pillow; libjpeg's
// other warnings (e.g. extraneous bytes before a marker, which some ImageNet files have) are not.
//
// An ImageDecoder holds a TurboJPEG handle: one per thread, never shared.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ablate::data {

// "<path>: <what went wrong>", e.g. "train/n01/x.JPEG: cannot decode JPEG (libjpeg-turbo: Premature end of
// JPEG file)".
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ImageFormat { jpeg, png };

struct ImageHeader {
  ImageFormat format = ImageFormat::jpeg;
  int width = 0;
  int height = 0;
};

// A reduction num/denom of both sides; TurboJPEG rounds a scaled side up: ceil(side * num / denom).
struct ScalingFactor {
  int num = 1;
  int denom = 1;
  int scaled(int side) const { return (side * num + denom - 1) / denom; }
  double value() const { return static_cast<double>(num) / denom; }
};

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // height x width x 3, row-major (HWC); capacity reused between images
};

class ImageDecoder {
 public:
  ImageDecoder();
  ~ImageDecoder();
  ImageDecoder(const ImageDecoder&) = delete;
  ImageDecoder& operator=(const ImageDecoder&) = delete;

  // Format and size from the first bytes. `path` only names the file in errors. Throws DecodeError.
  ImageHeader read_header(const uint8_t* data, size_t size, const std::string& path);

  // Decodes the whole image at `scale` (JPEG: one of jpeg_reductions() or 1/1; PNG: 1/1 only) into
  // `out`: width = scale.scaled(header.width), likewise the height. Throws DecodeError.
  void decode(const uint8_t* data, size_t size, const ImageHeader& header, ScalingFactor scale, RgbImage& out,
              const std::string& path);

  // The DCT-domain reductions used below 1/1, largest first: 1/2, 1/4, 1/8.
  static const std::vector<ScalingFactor>& jpeg_reductions();

 private:
  void* handle_;             // tjhandle
  std::vector<uint8_t> cmyk_;  // CMYK JPEGs decode here first
};

}  // namespace ablate::data
