#pragma once
// Expansion of an Experiment into its runs: variants x seeds, each fully resolved and hashed.
//
// Run settings (the `model`, `data` and `train` maps of base, profiles, variants and --set):
//   model: preset        a starting point ("resnext50_32x4d"; models::preset grammar); later keys override it
//          depth         ImageNet 50|101|152|200, or 9n+2 with the cifar stem (models::blocks_for_depth)
//          blocks        blocks per stage, e.g. [3, 3, 3] (instead of depth)
//          cardinality   C >= 1            bottleneck_width  d >= 1
//          match         {reference: VARIANT-or-PRESET, by: params|macs, scope: network|block, solve: width|depth}:
//                        solve d so the complexity equals the reference's (instead of bottleneck_width). With
//                        solve: depth the width stays the template's (give bottleneck_width beside match, or
//                        inherit it) and the stage block counts are solved instead (models::solve_depth: the
//                        third of four stages grows, or all three of a CIFAR template; scope network only).
//                        A variant reference is that variant after its own resolution (same profile and --set);
//                        a preset reference is the preset with this run's input channels and classes; both
//                        measured at this run's image size.
//          width_scale   multiplies the given (or inherited) bottleneck_width, rounded, at least 1: a CPU
//                        profile with base_channels 16 sets 0.25 so 1x64d becomes 1x16d and 64x4d 64x1d.
//                        Matched widths ignore it (the solver sees the scaled reference instead).
//          stem          imagenet|cifar (default imagenet; without preset/depth/blocks the blocks follow the
//                        stem: [3,4,6,3] or [3,3,3])
//          base_channels, stem_channels, stem_stride, shortcut, zero_init_last_bn: as models::ResNetOptions
//          init_from     a state_dict file (torch.save format, e.g. torchvision's) the training starts from;
//                        hashed into the run key by its SHA-256 (config::weights_source); "" = none
//          input_channels, num_classes, image_size: follow the dataset unless given (a given value must equal
//                        the dataset's: dataset_catalog.h's facts_for), so `--set data.dataset=fashion-mnist`
//                        alone retargets an experiment.
//   data:  the DataSpec fields (dataset, root, label_kind, train_subset, val_size, crop_padding,
//          horizontal_flip, mean, std, synthetic_*; for imagenet also classes, image_size, on_bad_image,
//          workers). root: see dataset_catalog.h. For imagenet the model's classes follow the tree's class
//          folders (config::class_count) and its image size data.image_size.
//   train: the TrainSpec fields, with schedule: {kind, milestones, step_size, gamma, warmup_epochs, min_lr}.
//          precision bf16 with device cpu is refused here; with auto or cuda the trainer refuses it on a machine
//          without a bf16-capable GPU (a run's key names the precision it trains in).
// Every layer is checked on its own first (run_decoder.h's check_layer), then the merged settings.
// Merge order: base, profile base, variant, --set (extended files were merged under base at load).
// In a model map, an overlay's preset drops the base's depth/blocks/cardinality/width/match, depth and
// blocks replace each other, and so do bottleneck_width and match (except a depth match, which keeps the
// width of the layers below: run_decoder.h's keep_template_width).

#include <string>
#include <vector>

#include "core/config/experiment.h"
#include "core/config/run_spec.h"

namespace ablate::config {

// `profile`: "" for the experiment's own settings, else a profile name (unknown: ConfigError with a
// did-you-mean). `set_overrides`: "path=value" strings as given to --set; paths start with model., data.,
// train. or are `seeds` (e.g. "seeds=[0,1]"). Runs come variant by variant (file order, filtered by the
// profile), seeds in order within a variant. Every RunSpec has canonical, run_key and group_key set.
// Throws ConfigError listing every problem.
std::vector<RunSpec> expand(const Experiment& experiment, const std::string& profile = "",
                            const std::vector<std::string>& set_overrides = {});

// expand() adding its problems to `errors` instead of throwing (the runs are then incomplete): for
// load_experiment, which checks every profile into one list, so a problem seen by several profiles is
// listed and counted once.
std::vector<RunSpec> expand_into(const Experiment& experiment, const std::string& profile,
                                 const std::vector<std::string>& set_overrides, ErrorList& errors);

}  // namespace ablate::config
