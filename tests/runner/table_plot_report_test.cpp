// `ablate table`, `ablate plot` and `ablate report` as real processes over a database that a real
// `ablate run` of the smoke experiment filled.
#include <gtest/gtest.h>

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

TEST_F(OutputCommands, TableWithoutADatabaseShowsThePlanAndCreatesNothing) {
  const fs::path none = *dir_ / "none.db";
  const auto r = run_command(ablate_command("table smoke --db '" + none.string() + "'"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("0/2 seeds"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(none));
  const auto bad = run_command(ablate_command("table smoke --format docx " + common()));
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("docx"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace ablate
