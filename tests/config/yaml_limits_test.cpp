// What one YAML text may cost: its size and its node count with aliases expanded are bounded while it is
// read, before a tree is built, and a flood of errors is listed up to a screenful (issue 16, item 10).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>

#include "core/config/config_node.h"
#include "tests/config/config_test_util.h"

namespace ablate::config {
namespace {

using testing::config_error_of;
using testing::TempDir;

// "Billion laughs": nine levels of nine aliases, 9^9 (387 million) scalars in about 400 bytes.
std::string alias_bomb(const std::string& indent = "") {
  std::string text = indent + "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 9; ++level) {
    text += indent + "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ", *l" : "*l") + std::to_string(level - 1);
    text += "]\n";
  }
  return text;
}

TEST(YamlLimits, AliasBombIsRefusedWhileCountingNotAfterExpanding) {
  const auto start = std::chrono::steady_clock::now();
  const std::string message =
      config_error_of([] { parse_yaml("name: x\nbase:\n  model:\n" + alias_bomb("    "), "bomb.yaml"); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Level 6 (597871 nodes each alias) is where the count passes a million, at its second alias: that
  // line, and both limits.
  EXPECT_EQ(message,
            "bomb.yaml:10:14: more than 1000000 YAML nodes once aliases are expanded; a file may hold at most "
            "1000000 nodes and 16 MB");
  // Expanding it would take minutes and gigabytes; counting takes milliseconds.
  EXPECT_LT(seconds, 10.0);
}

TEST(YamlLimits, AliasesCountAsTheNodesTheyStandFor) {
  // One anchored list of 1000 scalars (1001 nodes) named 1000 times: a million nodes and a few, refused.
  std::string list = "[";
  for (int i = 0; i < 1000; ++i) list += i ? ", 0" : "0";
  list += "]";
  std::string refs;
  for (int i = 0; i < 999; ++i) refs += ", *a";
  EXPECT_NE(config_error_of([&] { parse_yaml("x: [&a " + list + refs + "]\n", "f.yaml"); })
                .find("more than 1000000 YAML nodes"),
            std::string::npos);
  // Named 99 times it is 100 copies in the tree, each with its own key path.
  const ConfigNode root = parse_yaml("x: [&a " + list + refs.substr(0, 99 * std::string(", *a").size()) + "]\n", "f.yaml");
  const ConfigNode& x = *root.find("x");
  ASSERT_EQ(x.items.size(), 100u);
  EXPECT_EQ(x.items[99].items.size(), 1000u);
  EXPECT_EQ(x.items[99].items[999].location.path, "x[99][999]");
}

TEST(YamlLimits, FileLargerThanTheLimitIsRefusedUnread) {
  TempDir dir;
  const std::string path = dir.path() + "/big.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    const std::string comment = "# " + std::string(1021, 'x') + "\n";  // 1 KiB a line
    for (size_t written = 0; written <= kMaxYamlBytes; written += comment.size()) out << comment;
  }
  EXPECT_EQ(config_error_of([&] { parse_yaml_file(path); }),
            path + ": larger than 16 MB; a file may hold at most 16 MB and 1000000 nodes");
}

TEST(YamlLimits, SetOverrideIsBoundedLikeAFile) {
  std::string value = "{l0: &l0 [a, a, a, a, a, a, a, a, a]";
  for (int level = 1; level <= 9; ++level) {
    value += ", l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) value += (i ? ", *l" : "*l") + std::to_string(level - 1);
    value += "]";
  }
  value += "}";
  const std::string message = config_error_of([&] { parse_set_override("train.junk=" + value); });
  EXPECT_EQ(message.rfind("--set train.junk=", 0), 0u) << message;
  EXPECT_NE(message.find(": more than 1000000 YAML nodes once aliases are expanded"), std::string::npos) << message;
}

TEST(ErrorListTest, ListsTheFirstHundredAndCountsTheRest) {
  ErrorList errors;
  for (int i = 0; i < 250; ++i) {
    errors.add(SourceLocation{"f.yaml", i + 1, 1, "k"}, "bad");
    errors.add(SourceLocation{"f.yaml", i + 1, 1, "k"}, "bad");  // a repeat is neither listed nor counted
  }
  EXPECT_EQ(errors.size(), 250u);
  try {
    errors.throw_if_any();
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.messages().size(), ErrorList::kMaxListed + 1);
    EXPECT_EQ(e.messages().front(), "f.yaml:1:1: k: bad");
    EXPECT_EQ(e.messages().back(), "... and 150 more problems (only the first 100 are listed)");
    // Appending it elsewhere keeps the count.
    ErrorList outer;
    outer.append(e);
    EXPECT_EQ(outer.size(), 250u);
  }
}

}  // namespace
}  // namespace ablate::config
