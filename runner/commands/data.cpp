// `ablate data check imagenet [--root DIR]`: what a run would see in an ImageFolder tree, before a cluster
// is committed to it: classes and images per split, empty class folders, files left out, images that do
// not decode, and whether it is the full ILSVRC-2012. Exit status 0 when a run could train on it, 1 when
// not (unreadable images, a missing split, val classes unknown to train), 2 for bad arguments.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/config/dataset_catalog.h"
#include "core/config/image_folder_classes.h"
#include "core/data/image_folder_check.h"
#include "core/data/image_folder_data.h"
#include "runner/commands/commands.h"
#include "runner/number_format.h"

namespace ablate::runner {

namespace {

struct CheckArgs {
  std::string dataset;
  std::string root;
  int64_t workers = 0;  // 0 = cores - 1
  bool no_decode = false;
  bool all = false;
};

constexpr size_t kShown = 10;

// The first entries of a list, then how many more (all of them with --all).
template <typename T, typename Format>
void print_list(const std::string& title, const std::vector<T>& items, bool all, Format format) {
  if (items.empty()) return;
  fmt::print("{} ({}):\n", title, group_thousands(static_cast<int64_t>(items.size())));
  const size_t shown = all ? items.size() : std::min(items.size(), kShown);
  for (size_t i = 0; i < shown; ++i) fmt::print("  {}\n", format(items[i]));
  if (shown < items.size()) fmt::print("  ... and {} more (--all lists them)\n", group_thousands(items.size() - shown));
}

void print_split(const data::SplitCheck& split, const std::string& root) {
  if (!split.exists) {
    fmt::print("{:<6} no such folder: {}\n", split.name + ":", split.dir);
    return;
  }
  fmt::print("{:<6} {} classes, {} images ({} to {} per class)\n", split.name + ":", group_thousands(split.classes),
             group_thousands(split.images), group_thousands(split.fewest), group_thousands(split.most));
}

std::vector<std::string> differences_from_ilsvrc2012(const data::ImageFolderCheck& check) {
  std::vector<std::string> why;
  const auto differ = [&](int64_t found, int64_t expected, const char* what) {
    if (found != expected) why.push_back(fmt::format("{} {}, not {}", group_thousands(found), what, group_thousands(expected)));
  };
  differ(check.train.classes, config::kImageNetClasses, "training classes");
  differ(check.train.images, config::kImageNetTrainImages, "training images");
  differ(check.val.classes, config::kImageNetClasses, "validation classes");
  differ(check.val.images, config::kImageNetValImages, "validation images");
  const auto unreadable = static_cast<int64_t>(check.train.unreadable.size() + check.val.unreadable.size());
  if (unreadable > 0) why.push_back(fmt::format("{} unreadable images", group_thousands(unreadable)));
  return why;
}

int run_check(const CheckArgs& args) {
  const std::string root = config::resolve_root(args.dataset, args.root);
  config::DataSpec spec;
  spec.workers = args.workers;
  const int64_t workers = data::decode_workers(spec);
  const auto progress = [](int64_t done, int64_t total) {
    std::fprintf(stderr, "checked %s of %s images\n", group_thousands(done).c_str(), group_thousands(total).c_str());
  };
  const data::ImageFolderCheck check = data::check_image_folder(root, !args.no_decode, workers, progress);

  fmt::print("imagenet at {}\n", check.root);
  if (!check.index_cache.empty()) {
    fmt::print("index: {} ({})\n", check.index_cache, check.index_from_cache ? "reused: the tree is unchanged" : "written now");
  } else if (!check.index_note.empty()) {
    fmt::print("index: {}\n", check.index_note);
  }
  print_split(check.train, root);
  print_split(check.val, root);
  if (!check.train.exists || !check.val.exists) {
    fmt::print("not usable: {}\n", data::imagenet_location_hint(root));
    return 1;
  }
  const auto& classes = check.classes;
  if (args.all || classes.size() <= kShown) {
    fmt::print("classes: {}\n", fmt::join(classes, ", "));
  } else {
    fmt::print("classes: {}, ..., {} (label order; --all lists them)\n",
               fmt::join(classes.begin(), classes.begin() + 5, ", "), fmt::join(classes.end() - 5, classes.end(), ", "));
  }
  const auto same = [](const std::string& s) { return s; };
  std::vector<std::string> empty;
  for (const auto& c : check.train.empty_classes) empty.push_back("train/" + c);
  for (const auto& c : check.val.empty_classes) empty.push_back("val/" + c);
  print_list("class folders without images", empty, args.all, same);
  print_list("val class folders not in train (a run refuses the tree)", check.val_only_classes, args.all, same);
  std::vector<std::string> ignored = check.train.ignored;
  ignored.insert(ignored.end(), check.val.ignored.begin(), check.val.ignored.end());
  print_list("files left out (not an image by extension, as for torchvision)", ignored, args.all, same);
  std::vector<data::UnreadableImage> unreadable = check.train.unreadable;
  unreadable.insert(unreadable.end(), check.val.unreadable.begin(), check.val.unreadable.end());
  print_list("unreadable images (data.on_bad_image: fail stops a run on them, skip leaves them out)", unreadable,
             args.all, [](const data::UnreadableImage& u) { return u.message; });
  if (!check.decoded) fmt::print("images were not opened (--no-decode): unreadable ones are not known\n");
  if (check.full_ilsvrc2012) {
    fmt::print("full ILSVRC-2012: yes ({} classes, {} / {} images)\n", config::kImageNetClasses,
               group_thousands(config::kImageNetTrainImages), group_thousands(config::kImageNetValImages));
  } else {
    fmt::print("full ILSVRC-2012: no ({})\n", fmt::join(differences_from_ilsvrc2012(check), "; "));
  }
  fmt::print("usable for a run: {}\n", check.usable() ? "yes" : "no");
  return check.usable() ? 0 : 1;
}

}  // namespace

void add_data_command(CLI::App& app, int& status) {
  CLI::App* data = app.add_subcommand("data", "Datasets on disk: check an ImageFolder tree before training on it");
  data->require_subcommand(1);
  auto args = std::make_shared<CheckArgs>();
  CLI::App* check = data->add_subcommand(
      "check", "Walk and decode an ImageFolder tree (ROOT/train/<class>/*, ROOT/val/<class>/*): classes, images per "
               "split, unreadable or non-image files, and whether it is the full ILSVRC-2012; exit 1 if a run could "
               "not use it");
  check->add_option("dataset", args->dataset, "Dataset (imagenet: any ImageFolder tree)")
      ->required()
      ->check(CLI::IsMember({"imagenet"}));
  check->add_option("--root", args->root, "The tree's root (default: $ABLATE_DATA/imagenet, else data/imagenet)");
  check->add_option("--workers", args->workers, "Decode threads (default: cores - 1)")->check(CLI::NonNegativeNumber);
  check->add_flag("--no-decode", args->no_decode, "Only walk the tree; do not open the images");
  check->add_flag("--all", args->all, "List every class and file, not the first few");
  check->callback([args, &status] { status = run_check(*args); });
}

}  // namespace ablate::runner
