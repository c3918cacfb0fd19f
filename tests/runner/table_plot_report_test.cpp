// `ablate table`, `ablate plot` and `ablate report` as real processes over a database that a real
// `ablate run` of the smoke experiment filled.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  for (const std::string& command : {"table smoke --epoch best ", "plot smoke --kind complexity --epoch best "}) {
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
