// Provenance detection: git commit and dirty flag of a real (temporary) repository, shell quoting that a
// shell splits back into the same arguments, and provenance stored with a run.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "results/provenance.h"
#include "results/store.h"
#include "tests/results/store_test_support.h"

namespace ablate::results {
namespace {

using testing::ScratchDir;

int run_shell(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

TEST(Provenance, ShellQuotingRoundTripsThroughARealShell) {
  const std::vector<std::string> arguments = {"ablate", "run", "cardinality", "--set", "train.epochs=2",
                                              "it's a \"name\"; rm -rf /", "", "$HOME", "é✓"};
  const std::string line = shell_quote(arguments);
  EXPECT_EQ(line.rfind("ablate run cardinality --set train.epochs=2 ", 0), 0u) << line;
  // printf '%s\n' splits the line exactly as a shell would; compare argument by argument.
  FILE* shell = popen(("printf '%s\\n' " + line).c_str(), "r");
  ASSERT_NE(shell, nullptr);
  std::vector<std::string> split;
  char buffer[256];
  std::string current;
  while (fgets(buffer, sizeof buffer, shell)) {
    current += buffer;
    if (!current.empty() && current.back() == '\n') {
      current.pop_back();
      split.push_back(current);
      current.clear();
    }
  }
  pclose(shell);
  EXPECT_EQ(split, arguments);
}

TEST(Provenance, GitCommitAndDirtyFlagOfARepository) {
  ScratchDir dir;
  const std::string repo = (dir.path() / "repo with space").string();
  std::filesystem::create_directories(repo);
  EXPECT_EQ(detect_git(repo).commit, "") << "not a repository yet";
  if (run_shell("git --version") != 0) GTEST_SKIP() << "git is not installed";
  const std::string git = "git -C '" + repo + "' -c user.name=t -c user.email=t@t ";
  ASSERT_EQ(run_shell(git + "init -q"), 0);
  std::ofstream(repo + "/file.txt") << "one\n";
  ASSERT_EQ(run_shell(git + "add file.txt"), 0);
  ASSERT_EQ(run_shell(git + "commit -q -m first"), 0);

  const GitState clean = detect_git(repo);
  EXPECT_EQ(clean.commit.size(), 40u) << clean.commit;
  EXPECT_FALSE(clean.dirty);
  std::ofstream(repo + "/untracked.txt") << "ignored for dirtiness\n";
  EXPECT_FALSE(detect_git(repo).dirty);
  std::ofstream(repo + "/file.txt") << "two\n";
  const GitState dirty = detect_git(repo);
  EXPECT_TRUE(dirty.dirty);
  EXPECT_EQ(dirty.commit, clean.commit);
}

TEST(Provenance, RecordedWithTheRun) {
  ScratchDir dir;
  Store store = Store::open(":memory:");
  RunRecord record = testing::make_record("k");
  record.provenance = detect_provenance({"ablate", "run", "x y"}, GitState{"0123456789abcdef", true}, dir.path());
  record.provenance.torch_version = "1.13.1";
  record.provenance.device = "cpu (2 threads)";
  record.provenance.dataset_digest = "sha256:abc";
  record.provenance.precision = "bf16 autocast, tf32 off";
  EXPECT_EQ(record.provenance.host, host_name());
  EXPECT_FALSE(record.provenance.host.empty());
  EXPECT_EQ(record.provenance.command_line, "ablate run 'x y'");
  store.claim_run(record);
  const Provenance stored = store.find_run("k")->record.provenance;
  EXPECT_EQ(stored.host, record.provenance.host);
  EXPECT_EQ(stored.command_line, "ablate run 'x y'");
  EXPECT_EQ(stored.torch_version, "1.13.1");
  EXPECT_EQ(stored.device, "cpu (2 threads)");
  EXPECT_EQ(stored.dataset_digest, "sha256:abc");
  EXPECT_EQ(stored.precision, "bf16 autocast, tf32 off");
  EXPECT_EQ(stored.git_commit, "0123456789abcdef") << "the build's commit";
  EXPECT_TRUE(stored.git_dirty);
  EXPECT_EQ(stored.tree_commit, "") << "the scratch folder is not in git";
}

// The code behind a run is the build's; the source tree is named beside it only when it differs.
TEST(Provenance, DescribesTheBuildAndATreeThatMovedOn) {
  Provenance p;
  EXPECT_EQ(describe_code(p), "");
  p.git_commit = "aaaaaaaaaaaaaaaaaaaa";
  p.tree_commit = p.git_commit;
  EXPECT_EQ(describe_code(p), "aaaaaaaaaaaa");
  p.tree_dirty = true;
  EXPECT_EQ(describe_code(p), "aaaaaaaaaaaa (source tree at aaaaaaaaaaaa+dirty)");
  p.tree_commit = "bbbbbbbbbbbbbbbb";
  p.tree_dirty = false;
  EXPECT_EQ(describe_code(p), "aaaaaaaaaaaa (source tree at bbbbbbbbbbbb)");
  p.git_commit.clear();
  EXPECT_EQ(describe_code(p), "unknown build (source tree at bbbbbbbbbbbb)");
}

}  // namespace
}  // namespace ablate::results
