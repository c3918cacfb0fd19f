#include "plots/gnuplot_render.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <gnuplot-iostream.h>

#include "plots/gnuplot_script.h"
#include "plots/gnuplot_text.h"
#include "plots/png_inspect.h"

namespace ablate::plots {
namespace {

namespace fs = std::filesystem;

// gnuplot reads a pipe like a terminal: it reports an error and goes on with the next line, then
// exits with status 1. The shell around it appends the status to the message log under this tag.
constexpr const char* kStatusTag = "ablate-gnuplot-exit-status=";

// A temporary file for gnuplot's stderr, removed on scope exit.
class TempLog {
 public:
  TempLog() {
    std::string pattern = (fs::temp_directory_path() / "ablate-gnuplot-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for gnuplot's messages in " + pattern);
    ::close(fd);
    path_ = pattern;
  }
  ~TempLog() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  TempLog(const TempLog&) = delete;
  TempLog& operator=(const TempLog&) = delete;
  const std::string& path() const { return path_; }
  std::string read() const {
    std::ifstream in(path_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string path_;
};

// If gnuplot dies early, writing the rest of the script raises SIGPIPE, which would kill the whole
// process. Block it in this thread while we talk to gnuplot and swallow any that arrived.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeBlock() {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_;
  sigset_t previous_;
};

// gnuplot's messages as one line (the error policy), its context lines joined, blank ones dropped.
std::string one_line(const std::string& messages) {
  std::string out;
  std::istringstream lines(messages);
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    out += (out.empty() ? "" : " | ") + line.substr(first);
  }
  return out.empty() ? "no message" : out;
}

}  // namespace

void run_gnuplot(const std::string& script, const std::string& working_directory, const GnuplotOptions& gnuplot) {
  TempLog log;
  const std::string log_file = shell_quote(log.path());
  std::string command = "(";
  if (!working_directory.empty()) command += "cd " + shell_quote(working_directory) + " && ";
  command += "exec " + shell_quote(gnuplot.executable) + " -d) >/dev/null 2>" + log_file;
  command += "; echo " + std::string(kStatusTag) + "$? >>" + log_file;
  {
    SigpipeBlock block;
    Gnuplot pipe(command);  // popen(command); the destructor flushes and waits for the shell to exit
    pipe << script << "\n";
  }
  std::string messages = log.read();
  const auto tag = messages.rfind(kStatusTag);
  const std::string status = tag == std::string::npos ? "unknown" : one_line(messages.substr(tag + std::strlen(kStatusTag)));
  if (tag != std::string::npos) messages.erase(tag);
  if (status != "0") {
    throw std::runtime_error(
        fmt::format("gnuplot ({}) failed with status {}: {}", gnuplot.executable, status, one_line(messages)));
  }
}

RenderedFigure render_figure(const Figure& figure, const RenderOptions& options, const std::string& image_path,
                             const GnuplotOptions& gnuplot) {
  const fs::path image(image_path);
  if (image.filename().empty()) throw std::invalid_argument("figure path '" + image_path + "' names no file");
  const fs::path folder = image.parent_path();
  if (!folder.empty()) fs::create_directories(folder);
  fs::path script_path = image;
  script_path.replace_extension(".gp");

  const std::string script = gnuplot_script(figure, options, image.filename().string());
  {
    std::ofstream out(script_path, std::ios::binary);
    out << script;
    if (!out) throw std::runtime_error("cannot write " + script_path.string());
  }
  std::error_code ignored;
  fs::remove(image, ignored);  // so a stale image cannot pass for a fresh one
  try {
    run_gnuplot(script, folder.string(), gnuplot);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(fmt::format("{}: {}", script_path.string(), e.what()));
  }

  if (options.format == ImageFormat::png) {
    const PngSummary png = inspect_png(image.string());
    if (png.width != options.width || png.height != options.height) {
      throw std::runtime_error(fmt::format("{}: gnuplot drew {}x{} pixels, expected {}x{}", image.string(), png.width,
                                           png.height, options.width, options.height));
    }
    if (png.distinct_colors < 2) throw std::runtime_error(image.string() + ": gnuplot drew a blank image");
  } else if (!fs::exists(image) || fs::file_size(image) == 0) {
    throw std::runtime_error(image.string() + ": gnuplot wrote no image");
  }
  return {image.string(), script_path.string()};
}

}  // namespace ablate::plots
