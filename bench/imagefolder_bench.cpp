// Decode + augment throughput of the streamed ImageFolder pipeline (core/data/streaming_loader.h), side by
// side with torchvision's ImageFolder + DataLoader on the same files with the same transforms, alternating
// measurement by measurement in one run (bench/imagefolder_torchvision.py over a pipe). Also checks that
// the two agree: the same samples and labels, and the same evaluation pixels.
//
//   build/bench/imagefolder_bench [--tree DIR] [--images N] [--size WxH] [--rounds R] [--batch B] [--workers W]
//
// Without --tree it writes N training (default 512) and N/2 validation JPEGs of WxH (default 500x375, a
// quarter of them portrait; quality 90) in 8 classes to a temporary folder, removed at the end. Figures:
// images/s (wall) and images per CPU-second (all threads and worker processes; a per-core figure that
// the machine's other load disturbs less), for the train and eval transforms with 1 worker and with W
// (default: all cores), median of R rounds (default 3) and the ratio ablate / torchvision. Python:
// $ABLATE_BENCH_PYTHON, else /usr/bin/python3, else python3; without torchvision only ablate's side runs.
// Prints figures; never fails on a slow machine (exit 1 only for unusable arguments or a broken tree).

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include <turbojpeg.h>

#include "core/data/file_bytes.h"
#include "core/data/image_folder_index.h"
#include "core/data/image_transform.h"
#include "core/data/rng.h"
#include "core/data/streaming_loader.h"

namespace {

namespace fs = std::filesystem;
using ablate::data::Rng;

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// ---- a tree of photo-like JPEGs: smooth random fields at a few scales, a tint per class, mild grain ----

std::vector<uint8_t> photo_like(int width, int height, int label, Rng& rng) {
  std::vector<float> value(static_cast<size_t>(width) * height * 3, 0.0f);
  for (int octave = 0; octave < 6; ++octave) {
    const int cell = 96 >> octave;
    const int gw = width / cell + 2, gh = height / cell + 2;
    std::vector<float> grid(static_cast<size_t>(gw) * gh * 3);
    for (float& g : grid) g = static_cast<float>(rng.uniform() - 0.5) * (90.0f / static_cast<float>(1 + octave));
    for (int y = 0; y < height; ++y) {
      const float fy = static_cast<float>(y) / cell;
      const int y0 = static_cast<int>(fy);
      const float ty = fy - static_cast<float>(y0);
      for (int x = 0; x < width; ++x) {
        const float fx = static_cast<float>(x) / cell;
        const int x0 = static_cast<int>(fx);
        const float tx = fx - static_cast<float>(x0);
        for (int c = 0; c < 3; ++c) {
          const auto g = [&](int gx, int gy) { return grid[(static_cast<size_t>(gy) * gw + gx) * 3 + c]; };
          const float top = g(x0, y0) * (1 - tx) + g(x0 + 1, y0) * tx;
          const float bottom = g(x0, y0 + 1) * (1 - tx) + g(x0 + 1, y0 + 1) * tx;
          value[(static_cast<size_t>(y) * width + x) * 3 + c] += top * (1 - ty) + bottom * ty;
        }
      }
    }
  }
  static const float kTint[8][3] = {{40, -10, -20}, {-20, 30, -10}, {-20, -10, 40}, {30, 30, -30},
                                    {25, -25, 25},  {-30, 20, 20},  {10, 10, 10},   {-15, -15, -15}};
  std::vector<uint8_t> rgb(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    const float grain = static_cast<float>(rng.uniform() - 0.5) * 72.0f;
    rgb[i] = static_cast<uint8_t>(std::clamp(128.0f + kTint[label % 8][i % 3] + value[i] + grain, 0.0f, 255.0f));
  }
  return rgb;
}

std::vector<uint8_t> encode_jpeg(const std::vector<uint8_t>& rgb, int width, int height) {
  tjhandle handle = tjInitCompress();
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  tjCompress2(handle, rgb.data(), width, 0, height, TJPF_RGB, &jpeg, &size, TJSAMP_420, 90, 0);
  std::vector<uint8_t> out(jpeg, jpeg + size);
  tjFree(jpeg);
  tjDestroy(handle);
  return out;
}

// Returns the mean file size in bytes.
double write_tree(const fs::path& root, int train_images, int width, int height) {
  constexpr int kClasses = 8;
  Rng rng(2017);
  size_t bytes = 0, files = 0;
  for (const auto& [split, count] : {std::pair<const char*, int>{"train", train_images}, {"val", train_images / 2}}) {
    for (int i = 0; i < count; ++i) {
      const int label = i % kClasses;
      const bool portrait = i % 4 == 3;
      const int w = portrait ? height : width, h = portrait ? width : height;
      const auto jpeg = encode_jpeg(photo_like(w, h, label, rng), w, h);
      const fs::path file = root / split / ("class" + std::to_string(label)) / ("img_" + std::to_string(i) + ".JPEG");
      fs::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(jpeg.data()), static_cast<long>(jpeg.size()));
      bytes += jpeg.size();
      ++files;
    }
  }
  return static_cast<double>(bytes) / static_cast<double>(files);
}

// ---- torchvision over a pipe ----

class Torchvision {
 public:
  explicit Torchvision(const std::string& python, const std::string& script) {
    int to_child[2], from_child[2];
    if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(to_child[0], STDIN_FILENO);
      ::dup2(from_child[1], STDOUT_FILENO);
      ::close(to_child[1]);
      ::close(from_child[0]);
      ::execlp(python.c_str(), python.c_str(), script.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    in_ = ::fdopen(to_child[1], "w");
    out_ = ::fdopen(from_child[0], "r");
  }
  ~Torchvision() {
    if (in_) {
      std::fputs("quit\n", in_);
      std::fclose(in_);
    }
    if (out_) std::fclose(out_);
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
  }
  // The JSON answer to one command; null when the child is gone.
  nlohmann::json ask(const std::string& command) {
    if (!in_ || !out_) return nullptr;
    std::fprintf(in_, "%s\n", command.c_str());
    std::fflush(in_);
    std::string line;
    for (int c = std::fgetc(out_); c != EOF && c != '\n'; c = std::fgetc(out_)) line.push_back(static_cast<char>(c));
    if (line.empty()) return nullptr;
    return nlohmann::json::parse(line, nullptr, false);
  }

 private:
  pid_t pid_ = -1;
  FILE* in_ = nullptr;
  FILE* out_ = nullptr;
};

std::string python_executable() {
  if (const char* p = std::getenv("ABLATE_BENCH_PYTHON"); p && *p) return p;
  return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

// ---- ablate's side ----

struct Figure {
  double images = 0, wall = 0, cpu = 0;
  double decode_cpu = 0;  // ablate only: the decode threads' share of `cpu`
  double per_second() const { return images / wall; }
  double per_cpu_second() const { return images / cpu; }
};

Figure measure_ablate(const ablate::data::SplitIndex& split, bool train, int64_t workers, int64_t batch) {
  ablate::data::StreamingOptions o;
  o.batch_size = batch;
  o.workers = workers;
  o.shuffle = train;
  o.transform.train = train;
  ablate::data::StreamingLoader loader(split.dir, split.images, 0, o);
  ablate::data::Batch b;
  loader.begin_epoch(0);  // warm-up pass, as on torchvision's side
  while (loader.next(b)) {
  }
  Figure f;
  const double cpu0 = cpu_seconds(), wall0 = wall_seconds(), decode0 = loader.decode_cpu_seconds();
  loader.begin_epoch(1);
  while (loader.next(b)) f.images += static_cast<double>(b.size());
  f.wall = wall_seconds() - wall0;
  f.cpu = cpu_seconds() - cpu0;
  f.decode_cpu = loader.decode_cpu_seconds() - decode0;
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// The same samples and labels as torchvision's ImageFolder, and the same evaluation pixels.
void check_agreement(Torchvision& tv, const ablate::data::ImageFolderIndex& index, const fs::path& scratch) {
  const nlohmann::json samples = tv.ask("samples " + index.root + " train");
  if (samples.is_object() && samples.contains("samples")) {
    bool same = static_cast<int64_t>(samples["samples"].size()) == index.train.images.size();
    for (int64_t i = 0; same && i < index.train.images.size(); ++i) {
      same = samples["samples"][i][0] == std::string(index.train.images.path(i)) &&
             samples["samples"][i][1] == index.train.images.label(i);
    }
    std::printf("samples and labels: %s torchvision's ImageFolder (%lld training images)\n",
                same ? "identical to" : "DIFFERENT FROM", static_cast<long long>(index.train.images.size()));
  }
  const int64_t count = std::min<int64_t>(32, index.val.images.size());
  const fs::path raw = scratch / "torchvision_eval.raw";
  const nlohmann::json written = tv.ask("eval_pixels " + index.root + " val " + std::to_string(count) + " " + raw.string());
  if (!written.is_object() || !written.contains("written")) return;
  const std::vector<uint8_t> reference = ablate::data::read_file_bytes(raw.string());
  for (const bool dct : {false, true}) {
    ablate::data::TransformOptions options;
    options.dct_scaling = dct;
    ablate::data::ImageTransformer transform(options);
    std::vector<uint8_t> ours(224 * 224 * 3), bytes;
    int64_t worst = 0;
    double total = 0;
    for (int64_t i = 0; i < count; ++i) {
      const std::string path = (fs::path(index.val.dir) / std::string(index.val.images.path(i))).string();
      ablate::data::read_file_bytes(path, bytes);
      transform(bytes.data(), bytes.size(), path, 0, ours.data());
      for (size_t k = 0; k < ours.size(); ++k) {
        const int64_t d = std::abs(static_cast<int>(ours[k]) - reference[static_cast<size_t>(i) * ours.size() + k]);
        worst = std::max(worst, d);
        total += static_cast<double>(d);
      }
    }
    std::printf("eval pixels (Resize 256 + CenterCrop 224) vs torchvision, DCT reduction %s: max |diff| %lld, mean %.4f "
                "(%lld images)\n",
                dct ? "allowed" : "off    ", static_cast<long long>(worst),
                total / static_cast<double>(count * 224 * 224 * 3), static_cast<long long>(count));
  }
}

int usage(const char* message) {
  std::fprintf(stderr, "imagefolder_bench: %s\nusage: imagefolder_bench [--tree DIR] [--images N] [--size WxH] "
                       "[--rounds R] [--batch B] [--workers W]\n", message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string tree;
  int images = 512, width = 500, height = 375, rounds = 3;
  int64_t batch = 64, workers = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage(("missing value after " + arg).c_str());
    const std::string value = argv[++i];
    if (arg == "--tree") tree = value;
    else if (arg == "--images") images = std::atoi(value.c_str());
    else if (arg == "--size" && std::sscanf(value.c_str(), "%dx%d", &width, &height) == 2) {}
    else if (arg == "--rounds") rounds = std::atoi(value.c_str());
    else if (arg == "--batch") batch = std::atoll(value.c_str());
    else if (arg == "--workers") workers = std::atoll(value.c_str());
    else return usage(("unknown argument " + arg).c_str());
  }
  if (images < 16 || width < 32 || height < 32 || rounds < 1 || batch < 1 || workers < 1) return usage("bad value");
  ::signal(SIGPIPE, SIG_IGN);  // a missing Python must not kill the benchmark when it writes to the pipe
  torch::set_num_threads(1);  // the consumer's normalisation, like torchvision's main process, on one thread

  const fs::path scratch = fs::temp_directory_path() / ("ablate-imagefolder-bench-" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  double mean_bytes = 0;
  if (tree.empty()) {
    tree = (scratch / "tree").string();
    mean_bytes = write_tree(tree, images, width, height);
  }
  const ablate::data::ImageFolderIndex index = ablate::data::index_image_folder(tree);
  if (index.train.images.empty() || index.val.images.empty()) {
    fs::remove_all(scratch);
    return usage(("no train/ and val/ images in " + tree).c_str());
  }
  std::printf("imagefolder_bench: %lld train / %lld val images in %s", static_cast<long long>(index.train.images.size()),
              static_cast<long long>(index.val.images.size()), index.root.c_str());
  if (mean_bytes > 0) std::printf(" (generated: %dx%d and %dx%d, quality 90, mean %.0f KB)", width, height, height, width, mean_bytes / 1024);
  std::printf("\nbatch %lld, %d rounds, each measurement the second pass over the split; %u cores\n",
              static_cast<long long>(batch), rounds, std::thread::hardware_concurrency());

  fs::path script = fs::path(ABLATE_SOURCE_DIR) / "bench" / "imagefolder_torchvision.py";
  Torchvision tv(python_executable(), script.string());
  const bool have_torchvision = tv.ask("samples " + index.root + " val").is_object();
  if (have_torchvision) {
    check_agreement(tv, index, scratch);
  } else {
    std::printf("torchvision: not available (%s %s); ablate's figures only (make bench installs python3-torchvision)\n",
                python_executable().c_str(), script.string().c_str());
  }

  // Per row and round: images/s (wall) and images per CPU-second, ablate's with normalisation on the CPU
  // (as torchvision's workers do it) and for its decode threads alone (what a GPU run costs the host: the
  // uint8 batch is normalised on the device there).
  struct Row {
    std::string name;
    bool train;
    int64_t workers;
    std::vector<double> ours, tv, ratio, ours_cpu, tv_cpu, cpu_ratio, decode_cpu, decode_ratio;
  };
  std::vector<Row> rows;
  const std::vector<int64_t> worker_counts = workers == 1 ? std::vector<int64_t>{1} : std::vector<int64_t>{1, workers};
  for (const bool train : {true, false}) {
    for (const int64_t w : worker_counts) {
      rows.push_back({std::string(train ? "train" : "eval ") + ", " + std::to_string(w) + " worker" + (w == 1 ? "" : "s"),
                      train, w, {}, {}, {}, {}, {}, {}, {}, {}});
    }
  }
  for (int round = 0; round < rounds; ++round) {
    for (Row& row : rows) {
      const auto& split = row.train ? index.train : index.val;
      Figure ours, theirs;
      const auto run_ours = [&] { ours = measure_ablate(split, row.train, row.workers, batch); };
      const auto run_theirs = [&] {
        const nlohmann::json j = tv.ask("measure " + index.root + " " + split.name + " " + (row.train ? "train" : "eval") +
                                        " " + std::to_string(row.workers) + " " + std::to_string(batch));
        if (j.is_object() && j.contains("images")) {
          theirs = {j["images"].get<double>(), j["wall"].get<double>(), j["cpu"].get<double>()};
        }
      };
      // Alternate which side goes first, so a drift in the machine's load hits both alike.
      if (round % 2 == 0) {
        run_ours();
        if (have_torchvision) run_theirs();
      } else {
        if (have_torchvision) run_theirs();
        run_ours();
      }
      row.ours.push_back(ours.per_second());
      row.ours_cpu.push_back(ours.per_cpu_second());
      row.decode_cpu.push_back(ours.images / ours.decode_cpu);
      if (theirs.images > 0) {
        row.tv.push_back(theirs.per_second());
        row.tv_cpu.push_back(theirs.per_cpu_second());
        row.ratio.push_back(row.ours.back() / row.tv.back());
        row.cpu_ratio.push_back(row.ours_cpu.back() / row.tv_cpu.back());
        row.decode_ratio.push_back(row.decode_cpu.back() / row.tv_cpu.back());
      }
    }
  }

  const auto spread = [](const std::vector<double>& v) {
    if (v.empty()) return std::string("-");
    char text[64];
    std::snprintf(text, sizeof text, "%.2fx (%.2f-%.2f)", median(v), *std::min_element(v.begin(), v.end()),
                  *std::max_element(v.begin(), v.end()));
    return std::string(text);
  };
  std::printf("\nimages/s (wall clock; median of %d rounds, ratio median (min-max))\n", rounds);
  std::printf("%-17s %9s %12s  %-20s\n", "", "ablate", "torchvision", "ablate / torchvision");
  for (const Row& row : rows) {
    std::printf("%-17s %9.0f %12.0f  %-20s\n", row.name.c_str(), median(row.ours), median(row.tv), spread(row.ratio).c_str());
  }
  std::printf("\nimages per CPU-second (per core: every thread and worker process of each side)\n");
  std::printf("%-17s %9s %12s  %-20s %13s  %-20s\n", "", "ablate", "torchvision", "ablate / torchvision",
              "ablate decode", "decode / torchvision");
  for (const Row& row : rows) {
    std::printf("%-17s %9.0f %12.0f  %-20s %13.0f  %-20s\n", row.name.c_str(), median(row.ours_cpu), median(row.tv_cpu),
                spread(row.cpu_ratio).c_str(), median(row.decode_cpu), spread(row.decode_ratio).c_str());
  }
  std::printf("(\"ablate\" normalises on the CPU, as torchvision's workers do; \"ablate decode\" counts its decode threads "
              "alone,\n the host's share when training on a GPU, which normalises the uint8 batch itself)\n");
  // Feeding a GPU: the decode threads' images per CPU-second with the train transform.
  const double per_core = median(rows.front().decode_cpu);
  std::printf("\nto feed 1,000 img/s (ResNeXt-50 on one GPU) with the train transform: about %.0f decode cores at %.0f "
              "img per CPU-second (this machine), plus one for the training loop\n",
              std::ceil(1000.0 / per_core), per_core);
  fs::remove_all(scratch);
  return 0;
}
