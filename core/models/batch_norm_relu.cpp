#include "core/models/batch_norm_relu.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

namespace ablate::models {

namespace {

// The kernels see a channels_last tensor as `rows` (N * H * W) rows of `channels` floats. The loops over
// channels vectorise; target_clones adds an AVX2 build picked at load time on CPUs that have it.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define ABLATE_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ABLATE_VECTOR_CLONES
#endif

// Rows summed in float before being added to the double totals: short enough to keep float rounding
// far below what the statistics need, long enough to keep the loop vectorised.
constexpr int64_t kBlockRows = 64;

ABLATE_VECTOR_CLONES
void add_moments(const float* __restrict x, int64_t rows, int64_t channels, float* __restrict sum,
                 float* __restrict sum_squares) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * channels;
    for (int64_t c = 0; c < channels; ++c) {
      sum[c] += row[c];
      sum_squares[c] += row[c] * row[c];
    }
  }
}

ABLATE_VECTOR_CLONES
void scale_shift_relu(const float* __restrict x, float* __restrict y, int64_t rows, int64_t channels,
                      const float* __restrict scale, const float* __restrict shift) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* in = x + r * channels;
    float* out = y + r * channels;
    for (int64_t c = 0; c < channels; ++c) out[c] = std::max(in[c] * scale[c] + shift[c], 0.0f);
  }
}

ABLATE_VECTOR_CLONES
void scale_shift_add_relu(const float* __restrict x, const float* __restrict residual, float* __restrict y,
                          int64_t rows, int64_t channels, const float* __restrict scale,
                          const float* __restrict shift) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* in = x + r * channels;
    const float* add = residual + r * channels;
    float* out = y + r * channels;
    for (int64_t c = 0; c < channels; ++c) out[c] = std::max(in[c] * scale[c] + shift[c] + add[c], 0.0f);
  }
}

// g = dy where the ReLU passed (x * scale + shift > 0), else 0; sums g and g * x per channel.
ABLATE_VECTOR_CLONES
void add_masked_gradient_sums(const float* __restrict dy, const float* __restrict x, int64_t rows, int64_t channels,
                              const float* __restrict scale, const float* __restrict shift, float* __restrict sum_g,
                              float* __restrict sum_gx) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* d = dy + r * channels;
    const float* in = x + r * channels;
    for (int64_t c = 0; c < channels; ++c) {
      const float g = in[c] * scale[c] + shift[c] > 0.0f ? d[c] : 0.0f;
      sum_g[c] += g;
      sum_gx[c] += g * in[c];
    }
  }
}

// The same with the mask from the output (y > 0): with a residual added before the ReLU, x alone does not
// tell where it passed.
ABLATE_VECTOR_CLONES
void add_output_masked_gradient_sums(const float* __restrict dy, const float* __restrict x, const float* __restrict y,
                                     int64_t rows, int64_t channels, float* __restrict sum_g,
                                     float* __restrict sum_gx) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* d = dy + r * channels;
    const float* in = x + r * channels;
    const float* out = y + r * channels;
    for (int64_t c = 0; c < channels; ++c) {
      const float g = out[c] > 0.0f ? d[c] : 0.0f;
      sum_g[c] += g;
      sum_gx[c] += g * in[c];
    }
  }
}

// dx = a * g + b * x + k per channel: the batch norm backward with its sums folded into a, b and k.
ABLATE_VECTOR_CLONES
void masked_input_gradient(const float* __restrict dy, const float* __restrict x, float* __restrict dx, int64_t rows,
                           int64_t channels, const float* __restrict scale, const float* __restrict shift,
                           const float* __restrict a, const float* __restrict b, const float* __restrict k) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* d = dy + r * channels;
    const float* in = x + r * channels;
    float* out = dx + r * channels;
    for (int64_t c = 0; c < channels; ++c) {
      const float g = in[c] * scale[c] + shift[c] > 0.0f ? d[c] : 0.0f;
      out[c] = a[c] * g + b[c] * in[c] + k[c];
    }
  }
}

// The same with the mask from the output; also writes the residual's gradient, g.
ABLATE_VECTOR_CLONES
void output_masked_input_gradient(const float* __restrict dy, const float* __restrict x, const float* __restrict y,
                                  float* __restrict dx, float* __restrict d_residual, int64_t rows, int64_t channels,
                                  const float* __restrict a, const float* __restrict b, const float* __restrict k) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* d = dy + r * channels;
    const float* in = x + r * channels;
    const float* passed = y + r * channels;
    float* out = dx + r * channels;
    float* dr = d_residual + r * channels;
    for (int64_t c = 0; c < channels; ++c) {
      const float g = passed[c] > 0.0f ? d[c] : 0.0f;
      out[c] = a[c] * g + b[c] * in[c] + k[c];
      dr[c] = g;
    }
  }
}

// Two per-channel sums over all rows, in parallel: the rows are cut into one part per intra-op thread,
// each part adds its rows block by block (float) into its own double totals, and the parts are added in
// order, so the result does not depend on timing. (Totals are kept per part, not per thread id: a part's
// index is all the lambda can trust, whichever OpenMP runtime runs it.)
template <typename BlockSums>
void per_channel_sums(int64_t rows, int64_t channels, std::vector<double>& first, std::vector<double>& second,
                      const BlockSums& block_sums) {
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), rows / kBlockRows));
  const int64_t part_rows = (rows + parts - 1) / parts;
  std::vector<double> partial(static_cast<size_t>(parts) * 2 * channels, 0.0);
  at::parallel_for(0, parts, 1, [&](int64_t first_part, int64_t end_part) {
    std::vector<float> block(2 * channels);
    for (int64_t part = first_part; part < end_part; ++part) {
      double* mine = partial.data() + static_cast<size_t>(part) * 2 * channels;
      const int64_t end = std::min(rows, (part + 1) * part_rows);
      for (int64_t r = part * part_rows; r < end; r += kBlockRows) {
        std::fill(block.begin(), block.end(), 0.0f);
        block_sums(r, std::min(end, r + kBlockRows) - r, block.data(), block.data() + channels);
        for (int64_t c = 0; c < 2 * channels; ++c) mine[c] += block[c];
      }
    }
  });
  first.assign(channels, 0.0);
  second.assign(channels, 0.0);
  for (int64_t part = 0; part < parts; ++part) {
    const double* theirs = partial.data() + static_cast<size_t>(part) * 2 * channels;
    for (int64_t c = 0; c < channels; ++c) {
      first[c] += theirs[c];
      second[c] += theirs[channels + c];
    }
  }
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class BatchNormReLUFunction : public torch::autograd::Function<BatchNormReLUFunction> {
 public:
  // relu(bn(x)).
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, torch::Tensor running_mean, torch::Tensor running_var,
                               double momentum, double eps) {
    return fused_forward(ctx, x, torch::Tensor(), weight, bias, running_mean, running_var, momentum, eps);
  }
  // relu(bn(x) + residual), the residual of x's shape and layout. (An undefined tensor cannot be an input of
  // a custom function, hence two overloads.)
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& residual,
                               const torch::Tensor& weight, const torch::Tensor& bias, torch::Tensor running_mean,
                               torch::Tensor running_var, double momentum, double eps) {
    return fused_forward(ctx, x, residual, weight, bias, running_mean, running_var, momentum, eps);
  }

 private:
  static torch::Tensor fused_forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& residual,
                                     const torch::Tensor& weight, const torch::Tensor& bias,
                                     torch::Tensor running_mean, torch::Tensor running_var, double momentum,
                                     double eps) {
    const int64_t channels = x.size(1);
    const int64_t rows = x.numel() / channels;
    TORCH_CHECK(rows > 1, "Expected more than 1 value per channel when training, got input size ", x.sizes());
    const float* in = x.data_ptr<float>();
    std::vector<double> sum, sum_squares;
    per_channel_sums(rows, channels, sum, sum_squares, [&](int64_t row, int64_t n, float* s, float* s2) {
      add_moments(in + row * channels, n, channels, s, s2);
    });

    const auto as_float = x.options().dtype(torch::kFloat);
    torch::Tensor mean = torch::empty({channels}, as_float), invstd = torch::empty({channels}, as_float);
    torch::Tensor scale = torch::empty({channels}, as_float), shift = torch::empty({channels}, as_float);
    torch::Tensor unbiased_var = torch::empty({channels}, as_float);
    const torch::Tensor w = weight.contiguous(), b = bias.contiguous();
    for (int64_t c = 0; c < channels; ++c) {
      const double m = sum[c] / static_cast<double>(rows);
      const double var = std::max(sum_squares[c] / static_cast<double>(rows) - m * m, 0.0);
      const double inv = 1.0 / std::sqrt(var + eps);
      mean.data_ptr<float>()[c] = static_cast<float>(m);
      invstd.data_ptr<float>()[c] = static_cast<float>(inv);
      scale.data_ptr<float>()[c] = static_cast<float>(w.data_ptr<float>()[c] * inv);
      shift.data_ptr<float>()[c] = static_cast<float>(b.data_ptr<float>()[c] - m * w.data_ptr<float>()[c] * inv);
      unbiased_var.data_ptr<float>()[c] = static_cast<float>(var * static_cast<double>(rows) / static_cast<double>(rows - 1));
    }
    {
      torch::NoGradGuard no_grad;
      running_mean.mul_(1 - momentum).add_(mean, momentum);
      running_var.mul_(1 - momentum).add_(unbiased_var, momentum);
    }

    torch::Tensor y = torch::empty_like(x);
    float* out = y.data_ptr<float>();
    const float* sc = scale.data_ptr<float>();
    const float* sh = shift.data_ptr<float>();
    const bool with_residual = residual.defined();
    const float* add = with_residual ? residual.data_ptr<float>() : nullptr;
    at::parallel_for(0, rows, kBlockRows, [&](int64_t begin, int64_t end) {
      if (with_residual) {
        scale_shift_add_relu(in + begin * channels, add + begin * channels, out + begin * channels, end - begin,
                             channels, sc, sh);
      } else {
        scale_shift_relu(in + begin * channels, out + begin * channels, end - begin, channels, sc, sh);
      }
    });
    // With a residual the ReLU's mask cannot be recomputed from x alone: keep the output (the next block's
    // input, alive anyway).
    ctx->save_for_backward({x, w, mean, invstd, scale, shift, with_residual ? y : torch::Tensor()});
    return y;
  }


 public:
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& w = saved[1];
    const float* mean = saved[2].data_ptr<float>();
    const float* invstd = saved[3].data_ptr<float>();
    const float* scale = saved[4].data_ptr<float>();
    const float* shift = saved[5].data_ptr<float>();
    const bool with_residual = saved[6].defined();
    const float* y = with_residual ? saved[6].data_ptr<float>() : nullptr;
    const torch::Tensor dy = grads[0].contiguous(torch::MemoryFormat::ChannelsLast);
    const int64_t channels = x.size(1);
    const int64_t rows = x.numel() / channels;
    const float* in = x.data_ptr<float>();
    const float* d = dy.data_ptr<float>();

    std::vector<double> sum_g, sum_gx;
    per_channel_sums(rows, channels, sum_g, sum_gx, [&](int64_t row, int64_t n, float* s, float* s2) {
      const int64_t offset = row * channels;
      if (y != nullptr) {
        add_output_masked_gradient_sums(d + offset, in + offset, y + offset, n, channels, s, s2);
      } else {
        add_masked_gradient_sums(d + offset, in + offset, n, channels, scale, shift, s, s2);
      }
    });

    const auto as_float = x.options().dtype(torch::kFloat);
    torch::Tensor d_weight = torch::empty({channels}, as_float), d_bias = torch::empty({channels}, as_float);
    std::vector<float> a(channels), b(channels), k(channels);
    const double n = static_cast<double>(rows);
    for (int64_t c = 0; c < channels; ++c) {
      // With xhat = (x - mean) * invstd: dgamma = sum(g * xhat), dbeta = sum(g), and
      // dx = gamma * invstd * (g - sum(g) / n - xhat * sum(g * xhat) / n).
      const double sum_g_xhat = (sum_gx[c] - mean[c] * sum_g[c]) * invstd[c];
      d_weight.data_ptr<float>()[c] = static_cast<float>(sum_g_xhat);
      d_bias.data_ptr<float>()[c] = static_cast<float>(sum_g[c]);
      const double gain = w.data_ptr<float>()[c] * invstd[c];
      const double slope = -gain * invstd[c] * sum_g_xhat / n;  // times x
      a[c] = static_cast<float>(gain);
      b[c] = static_cast<float>(slope);
      k[c] = static_cast<float>(-gain * sum_g[c] / n - slope * mean[c]);
    }
    torch::Tensor dx = torch::empty_like(x);
    torch::Tensor d_residual = with_residual ? torch::empty_like(x) : torch::Tensor();
    float* out = dx.data_ptr<float>();
    float* dr = with_residual ? d_residual.data_ptr<float>() : nullptr;
    at::parallel_for(0, rows, kBlockRows, [&](int64_t begin, int64_t end) {
      const int64_t offset = begin * channels;
      if (y != nullptr) {
        output_masked_input_gradient(d + offset, in + offset, y + offset, out + offset, dr + offset, end - begin,
                                     channels, a.data(), b.data(), k.data());
      } else {
        masked_input_gradient(d + offset, in + offset, out + offset, end - begin, channels, scale, shift, a.data(),
                              b.data(), k.data());
      }
    });
    const torch::Tensor none;
    if (!with_residual) return {dx, d_weight, d_bias, none, none, none, none};
    return {dx, d_residual, d_weight, d_bias, none, none, none, none};
  }
};

}  // namespace

bool batch_norm_relu_is_fused(const torch::nn::BatchNorm2dImpl& bn, const torch::Tensor& x,
                              const torch::Tensor& residual) {
  const auto& o = bn.options;
  const auto channels_last = torch::MemoryFormat::ChannelsLast;
  const bool residual_fits = !residual.defined() ||
                             (residual.sizes() == x.sizes() && residual.scalar_type() == torch::kFloat &&
                              residual.device().is_cpu() && residual.suggest_memory_format() == channels_last &&
                              residual.is_contiguous(channels_last));
  return bn.is_training() && o.affine() && o.track_running_stats() && o.momentum().has_value() && x.dim() == 4 &&
         x.device().is_cpu() && x.scalar_type() == torch::kFloat && bn.weight.scalar_type() == torch::kFloat &&
         x.suggest_memory_format() == channels_last && x.is_contiguous(channels_last) && x.size(1) == o.num_features() &&
         residual_fits;
}

torch::Tensor batch_norm_relu(torch::nn::BatchNorm2dImpl& bn, const torch::Tensor& x, const torch::Tensor& residual) {
  if (!batch_norm_relu_is_fused(bn, x, residual)) {
    torch::Tensor out = bn.forward(x);
    if (residual.defined()) out += residual;
    return out.relu_();
  }
  {
    torch::NoGradGuard no_grad;
    bn.num_batches_tracked.add_(1);
  }
  const double momentum = *bn.options.momentum(), eps = bn.options.eps();
  if (!residual.defined()) {
    return BatchNormReLUFunction::apply(x, bn.weight, bn.bias, bn.running_mean, bn.running_var, momentum, eps);
  }
  return BatchNormReLUFunction::apply(x, residual, bn.weight, bn.bias, bn.running_mean, bn.running_var, momentum, eps);
}

}  // namespace ablate::models
