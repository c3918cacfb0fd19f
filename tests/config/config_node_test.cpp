// The located YAML tree: parsing keeps file:line:column and key paths, merging keeps them, --set parses
// scalars, lists and nested paths.
#include "core/config/config_node.h"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.h"

namespace ablate::config {
namespace {

using testing::config_error_of;

TEST(ConfigNode, ParseKeepsLocationsAndPaths) {
  const ConfigNode root = parse_yaml("a:\n  b: [1, 'two']\n  c:\n", "f.yaml");
  const ConfigNode* b = root.find("a")->find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->is_sequence());
  EXPECT_EQ(b->location.line, 2);
  EXPECT_EQ(b->location.column, 6);
  EXPECT_EQ(b->location.path, "a.b");
  EXPECT_EQ(b->items[1].location.path, "a.b[1]");
  EXPECT_TRUE(b->items[1].quoted);
  EXPECT_FALSE(b->items[0].quoted);
  // A null value is located at its key.
  const ConfigNode* c = root.find("a")->find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->is_null());
  EXPECT_EQ(c->location.line, 3);
  EXPECT_EQ(c->location.path, "a.c");
}

TEST(ConfigNode, DuplicateKeysAreAllReported) {
  const std::string message = config_error_of([] { parse_yaml("a: 1\nb: 2\na: 3\nb: 4\n", "f.yaml"); });
  EXPECT_EQ(message,
            "f.yaml:3:1: a: duplicate key \"a\" (first given at line 1)\n"
            "f.yaml:4:1: b: duplicate key \"b\" (first given at line 2)");
}

TEST(ConfigNode, TabsInsideValuesAreFineTabsInIndentationAreNot) {
  EXPECT_NO_THROW(parse_yaml("a: \"x\ty\"\n", "f.yaml"));
  EXPECT_EQ(config_error_of([] { parse_yaml("a:\n  - 1\n  -\t2\n", "f.yaml"); }),
            "f.yaml:3:4: tab character in indentation: YAML indents with spaces only");
}

TEST(ConfigNode, SecondDocumentIsAnError) {
  EXPECT_NE(config_error_of([] { parse_yaml("a: 1\n---\nb: 2\n", "f.yaml"); }).find("a second YAML document"),
            std::string::npos);
}

TEST(ConfigNode, MergeMapsDeepReplacesListsAndScalars) {
  const ConfigNode base = parse_yaml("m: {x: 1, y: {p: 1, q: 2}, l: [1, 2, 3]}\n", "base.yaml");
  const ConfigNode overlay = parse_yaml("m: {y: {q: 5}, l: [9], z: 3}\n", "over.yaml");
  const ConfigNode merged = merge(base, overlay);
  const ConfigNode& m = *merged.find("m");
  EXPECT_EQ(m.find("x")->scalar, "1");
  EXPECT_EQ(m.find("y")->find("p")->scalar, "1");
  EXPECT_EQ(m.find("y")->find("q")->scalar, "5");
  ASSERT_EQ(m.find("l")->items.size(), 1u);  // lists replace, they do not concatenate
  EXPECT_EQ(m.find("l")->items[0].scalar, "9");
  EXPECT_EQ(m.find("z")->scalar, "3");
  // Each value keeps the file it came from.
  EXPECT_EQ(m.find("x")->location.file, "base.yaml");
  EXPECT_EQ(m.find("y")->find("q")->location.file, "over.yaml");
}

TEST(ConfigNode, EmptySectionKeepsTheBaseMap) {
  const ConfigNode merged = merge(parse_yaml("model: {depth: 50}\n", "b.yaml"), parse_yaml("model:\n", "o.yaml"));
  ASSERT_TRUE(merged.find("model")->is_map());
  EXPECT_EQ(merged.find("model")->find("depth")->scalar, "50");
}

TEST(ConfigNode, ExclusiveKeysDropTheirRivalsFromTheBase) {
  const ConfigNode base = parse_yaml("model: {depth: 50, cardinality: 2}\nother: {depth: 1}\n", "b.yaml");
  const ConfigNode overlay = parse_yaml("model: {blocks: [1, 1]}\nother: {blocks: [2]}\n", "o.yaml");
  const ConfigNode merged = merge(base, overlay, {{"blocks", "depth"}}, {"model"});
  EXPECT_FALSE(merged.find("model")->contains("depth"));
  EXPECT_TRUE(merged.find("model")->contains("cardinality"));
  EXPECT_TRUE(merged.find("other")->contains("depth"));  // rules apply only to the named maps
}

TEST(SetOverride, ScalarsListsMapsAndNestedPaths) {
  const ConfigNode epochs = parse_set_override("train.epochs=2");
  EXPECT_EQ(epochs.find("train")->find("epochs")->scalar, "2");
  EXPECT_EQ(epochs.find("train")->find("epochs")->location.path, "train.epochs");
  EXPECT_EQ(epochs.find("train")->find("epochs")->location.file, "--set train.epochs=2");

  const ConfigNode milestones = parse_set_override("train.schedule.milestones=[30, 60]");
  const ConfigNode* list = milestones.find("train")->find("schedule")->find("milestones");
  ASSERT_TRUE(list && list->is_sequence());
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[1].scalar, "60");

  const ConfigNode schedule = parse_set_override("train.schedule={kind: cosine, min_lr: 0.001}");
  EXPECT_EQ(schedule.find("train")->find("schedule")->find("kind")->scalar, "cosine");

  const ConfigNode text = parse_set_override("data.dataset=fashion-mnist");
  EXPECT_EQ(text.find("data")->find("dataset")->scalar, "fashion-mnist");
  // Everything after the first '=' is the value.
  EXPECT_EQ(parse_set_override("data.root=/a=b").find("data")->find("root")->scalar, "/a=b");
}

TEST(SetOverride, Malformed) {
  EXPECT_EQ(config_error_of([] { parse_set_override("epochs"); }),
            "--set epochs: expected PATH=VALUE, e.g. train.epochs=2");
  EXPECT_NE(config_error_of([] { parse_set_override("=3"); }).find("malformed key path \"\""), std::string::npos);
  EXPECT_NE(config_error_of([] { parse_set_override("train.=3"); }).find("malformed key path"), std::string::npos);
  EXPECT_NE(config_error_of([] { parse_set_override("a={b: 1"); }).find("malformed value"), std::string::npos);
}

TEST(DidYouMean, SuggestsOnlyCloseWords) {
  EXPECT_EQ(did_you_mean("cardinalty", {"cardinality", "depth"}), "cardinality");
  EXPECT_EQ(did_you_mean("zzz", {"cardinality", "depth"}), "");
}

}  // namespace
}  // namespace ablate::config
