// Summary statistics, checked against values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "results/stats.h"

namespace ablate::results {
namespace {

TEST(Stats, FourValuesByHand) {
  // mean 2.5; squared deviations 2.25+0.25+0.25+2.25 = 5; std = sqrt(5/3); sem = std/2.
  const Summary s = summarize({1, 2, 3, 4});
  EXPECT_EQ(s.n, 4);
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_NEAR(s.std, 1.2909944, 1e-7);
  EXPECT_NEAR(s.sem, 0.6454972, 1e-7);
  EXPECT_NEAR(s.ci95, 3.1824463 * 0.6454972, 1e-6);  // t(0.975, 3) = 3.182
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 4);
  EXPECT_DOUBLE_EQ(s.spread(Stat::std), s.std);
  EXPECT_DOUBLE_EQ(s.spread(Stat::sem), s.sem);
  EXPECT_DOUBLE_EQ(s.spread(Stat::ci95), s.ci95);
}

TEST(Stats, TwoSeedsUseTheWideTInterval) {
  // std of {22, 23} = sqrt(0.5); sem = 0.5; t(0.975, 1) = 12.706: an honest, wide interval.
  const Summary s = summarize({22, 23});
  EXPECT_NEAR(s.std, std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(s.sem, 0.5, 1e-12);
  EXPECT_NEAR(s.ci95, 6.3531024, 1e-6);
}

TEST(Stats, OneSeedHasNoSpread) {
  const Summary s = summarize({23.9});
  EXPECT_EQ(s.n, 1);
  EXPECT_DOUBLE_EQ(s.mean, 23.9);
  EXPECT_TRUE(std::isnan(s.std));
  EXPECT_TRUE(std::isnan(s.sem));
  EXPECT_TRUE(std::isnan(s.ci95));
  EXPECT_DOUBLE_EQ(s.min, 23.9);
}

TEST(Stats, NoValuesIsAllNaN) {
  const Summary s = summarize({});
  EXPECT_EQ(s.n, 0);
  EXPECT_TRUE(std::isnan(s.mean));
  EXPECT_TRUE(std::isnan(s.min));
}

TEST(Stats, StudentQuantiles) {
  EXPECT_NEAR(student_t_975(1), 12.7062, 1e-4);
  EXPECT_NEAR(student_t_975(2), 4.3027, 1e-4);
  EXPECT_NEAR(student_t_975(9), 2.2622, 1e-4);
  EXPECT_NEAR(student_t_975(30), 2.0423, 1e-4);
  EXPECT_NEAR(student_t_975(31), 2.0395, 1e-4);  // first value from the expansion
  EXPECT_NEAR(student_t_975(120), 1.9799, 1e-4);
  EXPECT_NEAR(student_t_975(1000000), 1.95996, 1e-5);
  EXPECT_THROW(student_t_975(0), std::invalid_argument);
}

TEST(Stats, ParseStatNamesTheChoices) {
  EXPECT_EQ(parse_stat("sem"), Stat::sem);
  EXPECT_STREQ(to_string(parse_stat("ci95")), "ci95");
  try {
    parse_stat("stdev");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'stdev'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("std, sem or ci95"), std::string::npos);
  }
}

}  // namespace
}  // namespace ablate::results
