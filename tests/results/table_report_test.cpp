// The Markdown report: provenance gathered from the store, and the README text.
#include <gtest/gtest.h>

#include <string>

#include "results/findings_render.h"
#include "results/report.h"
#include "results/table_builder.h"
#include "results/table_render.h"
#include "table_golden.h"
#include "table_store_fixture.h"

namespace ablate::results {
namespace {

using ReportTest = testing::ExperimentStoreTest;

TEST_F(ReportTest, ProvenanceCountsTheExperimentsRuns) {
  testing::ManualClock clock;
  Store store = Store::open(":memory:", clock.options());
  fill_default(store);
  const ReportProvenance p = collect_provenance(config::expand(experiment_, ""), store);
  EXPECT_EQ(p.runs_planned, 18);
  EXPECT_EQ(p.runs_stored, 16);  // two seeds of the last variant never started
  EXPECT_EQ(p.runs_finished, 14);
  EXPECT_EQ(p.runs_running, 1);
  EXPECT_EQ(p.runs_failed, 1);
  EXPECT_EQ(p.seeds, (std::vector<int64_t>{0, 1, 2}));
  // 59 stored epochs of 1.5 s each.
  EXPECT_DOUBLE_EQ(p.train_seconds, 88.5);
  EXPECT_EQ(p.hosts.size(), 0u);  // the fixture records no provenance
}

TEST_F(ReportTest, ReadmeGolden) {
  testing::ManualClock clock;
  Store store = Store::open(":memory:", clock.options());
  fill_default(store);
  const auto runs = config::expand(experiment_, "");
  ReportContent content;
  content.title = table_title(experiment_, "");
  content.description = "Tiny | synthetic *data*";
  content.experiment_file = "experiments/tables.yaml";
  content.command = "ablate report tables";
  content.tables_markdown.push_back(render_markdown(build_results_table(experiment_, "", store, {})));
  content.findings_markdown =
      render_findings(build_findings(experiment_, "", store, {}), TableFormat::markdown, /*heading=*/false);
  content.figures.push_back({"Training curves", "curves.png"});
  content.figure_problems.push_back("Bars: no finished runs");
  content.provenance = collect_provenance(runs, store);
  content.provenance.git_commits = {"0123456789ab+dirty"};
  content.provenance.torch_versions = {"1.13.1"};
  content.provenance.devices = {"cpu (2 threads)"};
  ablate::testing::expect_golden(report_markdown(content), "tests/results/golden/report.md");
}

TEST(Report, Durations) {
  EXPECT_EQ(format_duration(42.4), "42 s");
  EXPECT_EQ(format_duration(185), "3 min 05 s");
  EXPECT_EQ(format_duration(3720), "1 h 02 min");
}

TEST(Report, OutputStemIsAFileName) {
  EXPECT_EQ(output_stem("cardinality", ""), "cardinality");
  EXPECT_EQ(output_stem("cardinality", "cpu"), "cardinality-cpu");
  EXPECT_EQ(output_stem("../etc/x y", ""), "_.._etc_x_y");
  EXPECT_EQ(output_stem("", ""), "_");
}

}  // namespace
}  // namespace ablate::results
