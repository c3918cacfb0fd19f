// The `claims:`, `table.reference` and `plot.lines` keys: a valid file decodes to the claims written, and
// every mistake is one line naming file:line:column, the key path and what was expected, like every
// other key.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "tests/config/config_test_util.h"

namespace ablate::config {
namespace {

using testing::config_error_of;
using testing::replace;
using testing::TempDir;

// Lines 13-17 hold the keys under test; fixtures refer to them by line number.
const char* const kValid = R"(name: t
base:
  model: {stem: cifar, blocks: [1, 1, 1], base_channels: 8, stem_channels: 8}
  data: {dataset: synthetic, synthetic_train_size: 100, synthetic_test_size: 50, synthetic_image_size: 16, synthetic_channels: 1, synthetic_classes: 4}
  train: {epochs: 2}
seeds: [0, 1]
variants:
  - name: a
  - name: b
    model: {cardinality: 2, bottleneck_width: 2}
  - name: c
    model: {cardinality: 4, bottleneck_width: 1}
table: {reference: a}
plot: {lines: auto}
claims:
  - {text: "b beats a", better: b, than: a}
  - {text: "falls", trend: [a, b, c], direction: decreasing, metric: top5_err, effect: 0.5}
)";

struct Fixture {
  const char* name;
  std::string yaml;
  std::string expected;  // a substring of the error message
};

std::vector<Fixture> fixtures() {
  const std::string v = kValid;
  return {
      {"unknown_claim_key", replace(v, "than: a}", "than: a, metrc: top1_err}"),
       "x.yaml:16:45: claims[0].metrc: unknown key \"metrc\" (did you mean \"metric\"?)"},
      {"unknown_variant", replace(v, "better: b,", "better: bee,"),
       "x.yaml:16:33: claims[0].better: unknown variant \"bee\" (did you mean \"b\"?)"},
      {"missing_than", replace(v, "better: b, than: a}", "better: b}"),
       "claims[0].than: missing \"than\": a claim with better/than names both variants"},
      {"both_forms", replace(v, "than: a}", "than: a, trend: [a, b]}"),
       "x.yaml:16:5: claims[0]: a claim is either {better, than} or {trend, direction}, not both"},
      {"no_form", replace(v, "better: b, than: a}", "metric: top1_err}"),
       "x.yaml:16:5: claims[0]: a claim needs better and than (two variants) or trend and direction"},
      {"compared_with_itself", replace(v, "better: b, than: a}", "better: a, than: a}"),
       "x.yaml:16:42: claims[0].than: \"a\" is compared with itself"},
      {"missing_text", replace(v, "{text: \"b beats a\", better", "{better"),
       "claims[0].text: every claim needs a text"},
      {"trend_of_one", replace(v, "trend: [a, b, c]", "trend: [a]"),
       "x.yaml:17:28: claims[1].trend: expected a list of at least two variant names, got a list"},
      {"trend_repeats", replace(v, "trend: [a, b, c]", "trend: [a, b, a]"),
       "x.yaml:17:35: claims[1].trend[2]: variant \"a\" is listed twice"},
      {"trend_unknown", replace(v, "trend: [a, b, c]", "trend: [a, d, c]"),
       "x.yaml:17:32: claims[1].trend[1]: unknown variant \"d\""},
      {"bad_direction", replace(v, "direction: decreasing", "direction: down"),
       "x.yaml:17:50: claims[1].direction: expected one of decreasing | increasing, got \"down\""},
      {"missing_direction", replace(v, "direction: decreasing, ", ""),
       "claims[1].direction: missing \"direction\": decreasing or increasing"},
      {"bad_metric", replace(v, "metric: top5_err", "metric: top3_err"),
       "claims[1].metric: expected one of top1_err | top5_err, got \"top3_err\""},
      {"bad_effect", replace(v, "effect: 0.5", "effect: -1"),
       "claims[1].effect: expected a difference (percentage points) in (0, 100], got -1"},
      {"claims_not_a_list", replace(replace(v, "  - {text: \"b beats a\", better: b, than: a}\n", ""),
                                    "  - {text: \"falls\"", "  {text: \"falls\""),
       "x.yaml:16:3: claims: expected a list of claims"},
      {"unknown_reference", replace(v, "reference: a", "reference: aa"),
       "x.yaml:13:20: table.reference: unknown variant \"aa\" (did you mean \"a\"?)"},
      {"bad_lines", replace(v, "lines: auto", "lines: sometimes"),
       "x.yaml:14:15: plot.lines: expected one of auto | true | false, got \"sometimes\""},
  };
}

class ClaimsConfig : public ::testing::TestWithParam<Fixture> {};

TEST_P(ClaimsConfig, ReportsFileLineAndExpectation) {
  const Fixture& f = GetParam();
  TempDir dir;
  const std::string message = config_error_of([&] { load_experiment(dir.write("x.yaml", f.yaml)); });
  EXPECT_NE(message.find(f.expected), std::string::npos) << "expected: " << f.expected << "\nmessage:\n" << message;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ClaimsConfig, ::testing::ValuesIn(fixtures()),
                         [](const ::testing::TestParamInfo<Fixture>& info) { return std::string(info.param.name); });

TEST(ClaimsConfigTest, ValidClaimsDecode) {
  TempDir dir;
  const Experiment e = load_experiment(dir.write("x.yaml", kValid));
  EXPECT_EQ(e.table.reference, "a");
  EXPECT_EQ(e.plot.lines, PlotHints::Lines::automatic);
  ASSERT_EQ(e.claims.size(), 2u);
  const ClaimSpec& better = e.claims[0];
  EXPECT_EQ(better.kind, ClaimSpec::Kind::better);
  EXPECT_EQ(better.text, "b beats a");
  EXPECT_EQ(better.better, "b");
  EXPECT_EQ(better.than, "a");
  EXPECT_EQ(better.metric, "top1_err");
  EXPECT_FALSE(better.effect.has_value());
  EXPECT_EQ(better.location.line, 16);
  const ClaimSpec& trend = e.claims[1];
  EXPECT_EQ(trend.kind, ClaimSpec::Kind::trend);
  EXPECT_EQ(trend.trend, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(trend.decreasing);
  EXPECT_EQ(trend.metric, "top5_err");
  EXPECT_DOUBLE_EQ(trend.effect.value_or(0), 0.5);

  const Experiment never = load_experiment(dir.write("n.yaml", replace(kValid, "lines: auto", "lines: false")));
  EXPECT_EQ(never.plot.lines, PlotHints::Lines::never);
}

TEST(ClaimsConfigTest, EveryBadClaimIsReportedAtOnce) {
  TempDir dir;
  const std::string text =
      replace(replace(kValid, "better: b,", "better: bee,"), "direction: decreasing", "direction: down");
  const std::string message = config_error_of([&] { load_experiment(dir.write("x.yaml", text)); });
  EXPECT_NE(message.find("claims[0].better"), std::string::npos) << message;
  EXPECT_NE(message.find("claims[1].direction"), std::string::npos) << message;
}

// Claims and the reference name variants: a file that brings its own variants does not inherit them
// (they would name variants it does not have); a file that inherits the variants inherits them too.
TEST(ClaimsConfigTest, ExtendsInheritsClaimsOnlyWithTheVariants) {
  TempDir dir;
  dir.write("parent.yaml", kValid);
  const Experiment own = load_experiment(dir.write("own.yaml", R"(name: own
extends: parent.yaml
variants:
  - name: x
  - name: y
    model: {cardinality: 2, bottleneck_width: 2}
)"));
  EXPECT_TRUE(own.claims.empty());
  EXPECT_EQ(own.table.reference, "");
  const Experiment inherited = load_experiment(dir.write("inherited.yaml", "name: inherited\nextends: parent.yaml\n"));
  EXPECT_EQ(inherited.claims.size(), 2u);
  EXPECT_EQ(inherited.table.reference, "a");
}

}  // namespace
}  // namespace ablate::config
