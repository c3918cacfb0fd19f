// `ablate inspect` and `ablate solve` through the real executable.
#include <cctype>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.h"

namespace ablate {
namespace {

using testing::ablate_command;
using testing::run_command;

TEST(InspectCommand, PrintsTableOneLayoutWithExactCounts) {
  const auto r = run_command(ablate_command("inspect resnext50_32x4d"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("[1x1, 128; 3x3, 128, C=32; 1x1, 256] x 3"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("[1x1, 1024; 3x3, 1024, C=32; 1x1, 2048] x 3"), std::string::npos);
  EXPECT_NE(r.output.find("25,028,904"), std::string::npos);
  EXPECT_NE(r.output.find("4.230"), std::string::npos);
}

TEST(InspectCommand, JsonListsEveryStateDictEntry) {
  const auto r = run_command(ablate_command("inspect resnet50 --format json 2>/dev/null"));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["name"], "resnet50");
  EXPECT_EQ(j["params"], 25557032);
  EXPECT_EQ(j["macs"], 4089184256);
  EXPECT_EQ(j["stages"].size(), 4u);
  ASSERT_EQ(j["parameters"].size(), 320u);
  bool found = false;
  for (const auto& p : j["parameters"]) {
    if (p["name"] == "layer3.0.downsample.0.weight") {
      found = true;
      EXPECT_EQ(p["shape"], (std::vector<int64_t>{1024, 512, 1, 1}));
    }
  }
  EXPECT_TRUE(found);
}

TEST(InspectCommand, OverridesInputAndClasses) {
  const auto r = run_command(ablate_command("inspect resnext29_8x64d --num-classes 100 --image-size 32"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("100-d fc"), std::string::npos);
  // 34,426,698 for 10 classes + 90 more classes of 1024 weights and a bias.
  EXPECT_NE(r.output.find("34,518,948"), std::string::npos) << r.output;
}

TEST(SolveCommand, ReproducesTableTwo) {
  const auto r = run_command(ablate_command("solve --template resnext50_32x4d -C 4 --reference resnet50"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("d = 24"), std::string::npos) << r.output;
  const auto block = run_command(ablate_command("solve --template resnet50 -C 32 --reference resnet50 --scope block"));
  ASSERT_EQ(block.status, 0) << block.output;
  EXPECT_NE(block.output.find("d = 4"), std::string::npos) << block.output;
  EXPECT_NE(block.output.find("70,144 params vs 69,632 params"), std::string::npos) << block.output;
}

// --solve depth: ResNet-50's template at ResNet-101's budget is ResNet-101 ([3, 4, 23, 3], exactly); a
// block-scope depth is refused in one line.
TEST(SolveCommand, SolvesTheDepthOfResNet101) {
  const auto r = run_command(ablate_command("solve --solve depth --template resnet50 -C 1 --reference resnet101 --by macs"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("depth 101, blocks [3, 4, 23, 3]  (resnet101,"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("(+0.00%)"), std::string::npos) << r.output;
  const auto block =
      run_command(ablate_command("solve --solve depth --template resnet50 -C 1 --reference resnet101 --scope block"));
  EXPECT_EQ(block.status, 2) << block.output;
  EXPECT_NE(block.output.find("block scope"), std::string::npos) << block.output;
}

struct BadInput {
  const char* arguments;
  const char* message;
};

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

// A case's name from its command line ("inspect resnet50 --image-size 16" -> inspect_resnet50_image_size_16),
// so that ctest and --gtest_filter name the command rather than the parameter's bytes.
std::string command_name(const ::testing::TestParamInfo<BadInput>& info) {
  std::string name;
  for (const char c : std::string(info.param.arguments)) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      name += c;
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  return name;
}

TEST_P(BadInputTest, OneLineErrorAndExitTwo) {
  const auto r = run_command(ablate_command(GetParam().arguments));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(GetParam().message), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("frame #"), std::string::npos) << "stack trace leaked: " << r.output;
}

INSTANTIATE_TEST_SUITE_P(
    Commands, BadInputTest,
    ::testing::Values(BadInput{"inspect vgg16", "unknown preset \"vgg16\""},
                      BadInput{"inspect resnet34", "unsupported depth 34"},
                      BadInput{"inspect resnext50_0x4d", "got 0x4d"},
                      BadInput{"inspect resnext50_32x0d", "got 32x0d"},
                      BadInput{"inspect resnet50 --image-size 16", "image size 16 is too small"},
                      BadInput{"solve --template resnet50 -C 0 --reference resnet50", "cardinality must be >= 1, got 0"},
                      BadInput{"solve --template resnet50 -C 2 --reference nope", "unknown preset \"nope\""},
                      BadInput{"solve --template resnet50 -C 2 --reference resnet50 --by flops", "flops"}),
    command_name);

}  // namespace
}  // namespace ablate
