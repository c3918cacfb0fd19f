// Label placement for the complexity figure: free places are taken as they come, a crowd of points at
// one size (a Table 4 budget) still gets labels that overlap nothing, and the geometry helpers are right.
#include <gtest/gtest.h>

#include <vector>

#include "plots/label_layout.h"

namespace ablate::plots {
namespace {

LabelAnchor anchor(double x, double y, double width, double bar = 0) {
  LabelAnchor a;
  a.x = x;
  a.y = y;
  a.bar_low = y - bar;
  a.bar_high = y + bar;
  a.width = width;
  a.height = 16;
  return a;
}

PixelBox box_of(const LabelAnchor& a, const LabelPlacement& p) {
  return {p.x, p.y - a.height / 2, p.x + a.width, p.y + a.height / 2};
}

TEST(LabelLayout, Geometry) {
  const PixelBox a{0, 0, 10, 10};
  EXPECT_DOUBLE_EQ(overlap(a, {5, 5, 20, 20}), 25);
  EXPECT_DOUBLE_EQ(overlap(a, {10, 0, 20, 10}), 0);  // touching is not overlapping
  EXPECT_TRUE(crosses(a, {-5, 5, 15, 5}));
  EXPECT_TRUE(crosses(a, {2, 2, 3, 3}));  // inside
  EXPECT_FALSE(crosses(a, {-5, 20, 15, 20}));
  EXPECT_FALSE(crosses(a, {-5, -5, -1, 20}));
}

TEST(LabelLayout, ALonePointIsLabelledOnItsRight) {
  const std::vector<LabelAnchor> anchors = {anchor(100, 100, 40)};
  const auto placed = place_labels(anchors, {}, {0, 0, 500, 300}, 6);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_GT(placed[0].x, 100);
  EXPECT_DOUBLE_EQ(placed[0].y, 100);
  EXPECT_FALSE(placed[0].leader);
}

TEST(LabelLayout, AtTheRightEdgeTheLabelGoesLeft) {
  const std::vector<LabelAnchor> anchors = {anchor(490, 100, 40)};
  const auto placed = place_labels(anchors, {}, {0, 0, 500, 300}, 6);
  EXPECT_LT(placed[0].x + 40, 490);
}

// Six points within a few pixels, each with an error bar and a long label: Table 4's 2x budget.
TEST(LabelLayout, ACrowdedBudgetGetsLabelsThatOverlapNothing) {
  std::vector<LabelAnchor> anchors;
  for (int i = 0; i < 6; ++i) anchors.push_back(anchor(300 + 3 * i, 120 + 9 * i, 150, 12));
  const PixelBox frame{0, 0, 800, 400};
  const auto placed = place_labels(anchors, {}, frame, 6);
  ASSERT_EQ(placed.size(), anchors.size());
  for (std::size_t i = 0; i < placed.size(); ++i) {
    const PixelBox mine = box_of(anchors[i], placed[i]);
    EXPECT_GE(mine.left, frame.left);
    EXPECT_LE(mine.right, frame.right);
    for (std::size_t j = 0; j < placed.size(); ++j) {
      if (j != i) {
        EXPECT_DOUBLE_EQ(overlap(mine, box_of(anchors[j], placed[j])), 0) << i << " and " << j;
      }
      const PixelBox marker{anchors[j].x - 6, anchors[j].y - 6, anchors[j].x + 6, anchors[j].y + 6};
      EXPECT_DOUBLE_EQ(overlap(mine, marker), 0) << "label " << i << " covers point " << j;
    }
  }
}

TEST(LabelLayout, LabelsAvoidDrawnLines) {
  // A line from the point to the right: the right-hand place is crossed, so the label goes elsewhere.
  const std::vector<LabelAnchor> anchors = {anchor(100, 100, 40)};
  const std::vector<PixelSegment> line = {{100, 100, 300, 100}};
  const auto placed = place_labels(anchors, line, {0, 0, 500, 300}, 6);
  EXPECT_FALSE(crosses(box_of(anchors[0], placed[0]), line[0]));
}

}  // namespace
}  // namespace ablate::plots
