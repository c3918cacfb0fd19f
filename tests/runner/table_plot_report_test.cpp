// `ablate table`, `ablate plot` and `ablate report` as real processes over a database that a real
// `ablate run` of the smoke experiment filled.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "tests/support/read_text.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_path.h"

namespace ablate {
namespace {

namespace fs = std::filesystem;
using testing::ablate_command;
using testing::read_text;
using testing::run_command;

class OutputCommands : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(testing::unique_temp_path("outputs"));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    const auto r = run_command(ablate_command("run smoke --quiet " + common() + " --checkpoints '" +
                                              (*dir_ / "ck").string() + "'"));
    ASSERT_EQ(r.status, 0) << r.output;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  // Same database and overrides for every command, as a user would pass them.
  static std::string common() {
    return "--db '" + (*dir_ / "o.db").string() + "' --set data.synthetic_train_size=1000";
  }
  static fs::path* dir_;
};
fs::path* OutputCommands::dir_ = nullptr;

TEST_F(OutputCommands, TableInEveryFormat) {
  const auto md = run_command(ablate_command("table smoke --format md " + common()));
  ASSERT_EQ(md.status, 0) << md.output;
  EXPECT_NE(md.output.find("| ResNet 1x4d"), std::string::npos) << md.output;
  EXPECT_NE(md.output.find("(2)"), std::string::npos) << "two seeds per row: " << md.output;
  const auto latex = run_command(ablate_command("table smoke --format latex " + common()));
  ASSERT_EQ(latex.status, 0) << latex.output;
  EXPECT_NE(latex.output.find("\\toprule"), std::string::npos) << latex.output;
  const auto csv = run_command(ablate_command("table smoke --format csv --stat ci95 " + common()));
  ASSERT_EQ(csv.status, 0) << csv.output;
  EXPECT_NE(csv.output.find("ResNeXt 4x2d"), std::string::npos) << csv.output;
}

TEST_F(OutputCommands, PlotWritesAPngAndItsScript) {
  const fs::path out = *dir_ / "figures";
  const auto r = run_command(ablate_command("plot smoke --kind curves --out '" + out.string() + "' " + common()));
  ASSERT_EQ(r.status, 0) << r.output;
  bool png = false, script = false;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    png |= entry.path().extension() == ".png" && fs::file_size(entry.path()) > 1000;
    script |= entry.path().extension() == ".gp";
  }
  EXPECT_TRUE(png) << r.output;
  EXPECT_TRUE(script) << r.output;
}

TEST_F(OutputCommands, ReportWritesMarkdownWithTablesFiguresAndProvenance) {
  const fs::path out = *dir_ / "reports";
  const auto r = run_command(ablate_command("report smoke --out '" + out.string() + "' " + common()));
  ASSERT_EQ(r.status, 0) << r.output;
  const fs::path readme = out / "smoke" / "README.md";
  ASSERT_TRUE(fs::exists(readme)) << r.output;
  EXPECT_NE(r.output.find(readme.string()), std::string::npos) << "prints its path: " << r.output;
  const std::string text = read_text(readme);
  EXPECT_NE(text.find("| ResNeXt 4x2d"), std::string::npos) << text;
  EXPECT_NE(text.find(".png"), std::string::npos) << text;
  EXPECT_NE(text.find("LibTorch"), std::string::npos) << text;
  // The comparison columns and the Findings on smoke's claim, between the tables and the figures.
  EXPECT_NE(text.find("| p (Holm) |"), std::string::npos) << text;
  const std::size_t findings = text.find("## Findings");
  ASSERT_NE(findings, std::string::npos) << text;
  EXPECT_LT(findings, text.find("## Figures"));
  EXPECT_NE(text.find("1. *ResNeXt 4x2d beats ResNet 1x4d (pipeline check)*: **", findings), std::string::npos) << text;
}

// The verdict on smoke's one claim ("ResNeXt 4x2d beats ResNet 1x4d") must follow from the numbers printed
// with it: with one claim, Holm changes nothing, so the claim is supported exactly when the 95% interval of
// the error difference lies below 0, contradicted when above, and inconclusive when it holds 0.
TEST_F(OutputCommands, FindingsVerdictFollowsItsNumbers) {
  for (const std::string test : {"", " --compare", " --compare paired"}) {
    const auto r = run_command(ablate_command("table smoke" + test + " " + common()));
    ASSERT_EQ(r.status, 0) << r.output;
    const std::size_t findings = r.output.find("\nFindings\n");
    ASSERT_NE(findings, std::string::npos) << r.output;
    EXPECT_NE(r.output.find(test.find("paired") != std::string::npos ? "paired t-test" : "Welch's t-test", findings),
              std::string::npos)
        << r.output;
    const std::size_t ci = r.output.find("[95% CI ", findings);
    ASSERT_NE(ci, std::string::npos) << r.output;
    std::istringstream numbers(r.output.substr(ci + 8));
    double low = 0, high = 0;
    char comma = 0;
    numbers >> low >> comma >> high;
    ASSERT_EQ(comma, ',') << r.output.substr(ci);
    const std::string verdict = high < 0 ? "supported" : low > 0 ? "contradicted" : "inconclusive at this n";
    EXPECT_NE(r.output.find("\"ResNeXt 4x2d beats ResNet 1x4d (pipeline check)\": " + verdict + "\n", findings),
              std::string::npos)
        << r.output;
    // The comparison columns come with --compare only. Smoke compares ResNeXt with its table.reference,
    // ResNet: the table's row shows the claim's difference and interval (the same test on the same runs).
    EXPECT_EQ(r.output.find("vs ref") != std::string::npos, !test.empty()) << r.output;
    if (!test.empty()) {
      const std::string interval = fmt::format("[{:+.2f}, {:+.2f}]", low, high);
      const std::size_t row = r.output.find("\nResNeXt 4x2d ");
      ASSERT_NE(row, std::string::npos) << r.output;
      EXPECT_NE(r.output.substr(row, r.output.find('\n', row + 1) - row).find(interval), std::string::npos)
          << interval << "\n" << r.output;
    }
  }
  const auto csv = run_command(ablate_command("table smoke --format csv --compare " + common()));
  ASSERT_EQ(csv.status, 0) << csv.output;
  EXPECT_EQ(csv.output.find("Findings"), std::string::npos) << "CSV is data only: " << csv.output;
  EXPECT_NE(csv.output.find("95% CI low,95% CI high,p (Holm)"), std::string::npos) << csv.output;
  const auto bad = run_command(ablate_command("table smoke --compare student " + common()));
  EXPECT_EQ(bad.status, 2) << bad.output;
}

// A missing database is an error, as for runs, plot and report (an empty table would read as "no
// results yet" when the path is simply wrong); the architecture layout needs no database.
TEST_F(OutputCommands, TableWithoutADatabaseIsAnErrorAndCreatesNothing) {
  const fs::path none = *dir_ / "none.db";
  const auto r = run_command(ablate_command("table smoke --db '" + none.string() + "'"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("'" + none.string() + "' does not exist: run the experiment first (ablate run smoke)"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(none));
  const auto architecture = run_command(ablate_command("table smoke --layout architecture --db '" + none.string() + "'"));
  EXPECT_EQ(architecture.status, 0) << architecture.output;
  const auto bad = run_command(ablate_command("table smoke --format docx " + common()));
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("docx"), std::string::npos) << bad.output;
}

// Smoke evaluates on its test split (no data.val_size): the footer says so, and picking each run's best
// epoch there is refused unless asked for, and then said in the footer.
TEST_F(OutputCommands, BestEpochOnTheTestSplitNeedsAnExplicitFlag) {
  const auto plain = run_command(ablate_command("table smoke " + common()));
  ASSERT_EQ(plain.status, 0) << plain.output;
  EXPECT_NE(plain.output.find("official test split"), std::string::npos) << plain.output;
  for (const std::string command : {"table smoke --epoch best ", "plot smoke --kind complexity --epoch best "}) {
    const auto refused = run_command(ablate_command(command + common()));
    EXPECT_EQ(refused.status, 2) << command << refused.output;
    EXPECT_NE(refused.output.find("set data.val_size"), std::string::npos) << refused.output;
    EXPECT_EQ(std::count(refused.output.begin(), refused.output.end(), '\n'), 1) << refused.output;
  }
  const auto allowed = run_command(ablate_command("table smoke --epoch best --allow-test-selection " + common()));
  ASSERT_EQ(allowed.status, 0) << allowed.output;
  EXPECT_NE(allowed.output.find("Best epoch selected on the test split (--allow-test-selection)"), std::string::npos)
      << allowed.output;
}

}  // namespace
}  // namespace ablate
