// Device and precision: a run trains in the precision its key names or is refused before its first step;
// TF32 is set explicitly (off); the cuBLAS workspace is fixed once per process (issue 16, item 7).
#include "core/train/device.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

#include <ATen/Context.h>
#include <gtest/gtest.h>

#include "train_test_support.h"

namespace ablate::train {
namespace {

std::string precision_error(config::Precision precision, const std::string& configured, const torch::Device& device,
                            bool bf16_supported) {
  try {
    check_precision(precision, config::parse_device(configured), device, bf16_supported);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Precision, Bf16IsRefusedWhereItCannotRun) {
  const torch::Device cpu(torch::kCPU), gpu(torch::kCUDA, 0);
  EXPECT_EQ(precision_error(config::Precision::bf16, "auto", cpu, false),
            "train.precision: bf16 needs a CUDA GPU with bf16 support, but this run would train on the CPU "
            "(train.device auto); set train.precision: fp32 (a different run) or run it where a GPU is visible");
  // A pre-Ampere GPU (compute capability below 8.0), told apart by LibTorch's CUDA hooks on a real one.
  EXPECT_EQ(precision_error(config::Precision::bf16, "cuda", gpu, false),
            "train.precision: bf16 needs a GPU of compute capability 8.0 or newer (Ampere or later), and cuda:0 is "
            "older; set train.precision: fp32 (a different run) or use a newer GPU");
  EXPECT_EQ(precision_error(config::Precision::bf16, "cuda", gpu, true), "");
  EXPECT_EQ(precision_error(config::Precision::fp32, "auto", cpu, false), "");
  EXPECT_FALSE(supports_bf16(cpu));
}

TEST(Precision, Tf32IsSetOffExplicitlyAndRecorded) {
  // cuDNN's default is on: an "fp32" run on an Ampere GPU would convolve in TF32 unless told otherwise.
  at::globalContext().setAllowTF32CuDNN(true);
  at::globalContext().setAllowTF32CuBLAS(true);
  const RuntimeSettings settings = configure_runtime(testing::tiny_run_spec("tf32").train);
  EXPECT_FALSE(at::globalContext().allowTF32CuDNN());
  EXPECT_FALSE(at::globalContext().allowTF32CuBLAS());
  EXPECT_FALSE(settings.allow_tf32);
  EXPECT_EQ(settings.precision_description(), "fp32");
}

TEST(Precision, DescriptionNamesWhatTheRunComputesIn) {
  RuntimeSettings cuda;
  cuda.device = torch::Device(torch::kCUDA, 0);
  EXPECT_EQ(cuda.precision_description(), "fp32, tf32 off");
  cuda.bf16_autocast = true;
  EXPECT_EQ(cuda.precision_description(), "bf16 autocast, tf32 off");
}

TEST(ProcessSettings, CublasWorkspaceIsSetOnceAndAUsersValueKept) {
  const char* before = std::getenv("CUBLAS_WORKSPACE_CONFIG");
  const std::string saved = before ? before : "";
  unsetenv("CUBLAS_WORKSPACE_CONFIG");
  configure_process();
  ASSERT_NE(std::getenv("CUBLAS_WORKSPACE_CONFIG"), nullptr);
  EXPECT_STREQ(std::getenv("CUBLAS_WORKSPACE_CONFIG"), ":4096:8");
  setenv("CUBLAS_WORKSPACE_CONFIG", ":16:8", 1);
  configure_process();
  EXPECT_STREQ(std::getenv("CUBLAS_WORKSPACE_CONFIG"), ":16:8");
  if (before) {
    setenv("CUBLAS_WORKSPACE_CONFIG", saved.c_str(), 1);
  } else {
    unsetenv("CUBLAS_WORKSPACE_CONFIG");
  }
}

}  // namespace
}  // namespace ablate::train
