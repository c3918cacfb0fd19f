#pragma once
// ResNetOptions: every knob of the ResNet/ResNeXt family, as a plain struct with documented defaults.
// Deliberately free of LibTorch so complexity accounting, the config layer and tables can use it
// without compiling torch headers. ABLATE_ARG mirrors TORCH_ARG (torch/arg.h): a member with a
// fluent setter `opts.cardinality(32)` and a getter `opts.cardinality()`.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#define ABLATE_ARG(T, name)                                      \
 public:                                                         \
  inline auto name(const T& new_##name)->decltype(*this) {       \
    this->name##_ = new_##name;                                  \
    return *this;                                                \
  }                                                              \
  inline auto name(T&& new_##name)->decltype(*this) {            \
    this->name##_ = std::move(new_##name);                       \
    return *this;                                                \
  }                                                              \
  inline const T& name() const noexcept { return this->name##_; } \
  inline T& name() noexcept { return this->name##_; }            \
                                                                 \
 private:                                                        \
  T name##_ /* NOLINT */

namespace ablate::models {

// imagenet: 7x7/2 conv + 3x3/2 max-pool, 4 stages (paper Table 1).
// cifar: one 3x3 conv, 3 stages (paper Sec. 5.3 / Appendix A).
enum class Stem { imagenet, cifar };

const char* to_string(Stem stem);

struct ResNetOptions {
  // Bottleneck blocks per stage; its length is the number of stages (4 for imagenet, 3 for cifar).
  ABLATE_ARG(std::vector<int64_t>, blocks) = {3, 4, 6, 3};
  // C: groups of every 3x3 conv.
  ABLATE_ARG(int64_t, cardinality) = 1;
  // d: per-group width of the first stage; the grouped 3x3 of stage s is C*d*2^s channels wide.
  ABLATE_ARG(int64_t, bottleneck_width) = 64;
  ABLATE_ARG(Stem, stem) = Stem::imagenet;
  // Stage s outputs base_channels*4*2^s channels; the stem outputs stem_channels.
  // Paper: 64 and 64 for both stems. CPU-scale profiles shrink both.
  ABLATE_ARG(int64_t, base_channels) = 64;
  ABLATE_ARG(int64_t, stem_channels) = 64;
  // Stride of the cifar stem's 3x3 conv: 1 in the paper, 2 halves every map for CPU-scale runs.
  // The imagenet stem is always 7x7/2 + max-pool/2.
  ABLATE_ARG(int64_t, stem_stride) = 1;
  ABLATE_ARG(int64_t, input_channels) = 3;
  ABLATE_ARG(int64_t, num_classes) = 1000;
  // false removes identity *and* projection shortcuts (paper Sec. 5.1, residual removal).
  ABLATE_ARG(bool, shortcut) = true;
  // Zero-init of each block's last BN gamma (Goyal et al.); off in the paper.
  ABLATE_ARG(bool, zero_init_last_bn) = false;
};

// Channel arithmetic shared by the module and by complexity accounting, so they cannot disagree.
inline int64_t stage_planes(const ResNetOptions& o, int64_t stage) { return o.base_channels() << stage; }
inline int64_t stage_out_channels(const ResNetOptions& o, int64_t stage) { return 4 * stage_planes(o, stage); }
inline int64_t stage_group_width(const ResNetOptions& o, int64_t stage) {
  return (o.cardinality() * o.bottleneck_width()) << stage;
}
// The first stage keeps the map size; every later stage halves it with stride 2 on its first 3x3.
inline int64_t stage_stride(int64_t stage) { return stage == 0 ? 1 : 2; }

// Throws std::invalid_argument naming the offending option and value.
void validate(const ResNetOptions& o);

}  // namespace ablate::models
