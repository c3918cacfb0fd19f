// ablate's logits for a weights file, for bench/torchvision_weights_check.py: loads FILE into the preset
// network it names (through the same reader and loader as model.init_from and ablate eval) and writes a
// fixed batch of inputs with ablate's eval-mode logits for them (torch.save format: {"input", "logits"}),
// which the script feeds to torchvision to compare.
//
//   weights_logits WEIGHTS.pt PRESET NUM_CLASSES OUT.pt
#include <cstdio>
#include <exception>
#include <string>

#include <torch/torch.h>

#include "core/models/presets.h"
#include "core/models/resnet.h"
#include "core/models/state_dict_file.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s WEIGHTS.pt PRESET NUM_CLASSES OUT.pt\n", argv[0]);
    return 2;
  }
  try {
    ablate::models::ResNetOptions options = ablate::models::preset(argv[2]).options;
    options.num_classes(std::stoll(argv[3]));
    ablate::models::ResNet net(options);
    ablate::models::load_weights_file(*net, argv[1], "", "weights");
    net->eval();
    torch::NoGradGuard no_grad;
    torch::manual_seed(0);
    const torch::Tensor input = torch::randn({4, 3, 224, 224});
    ablate::models::write_state_dict_file(argv[4], {{"input", input}, {"logits", net->forward(input)}}, "");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "weights_logits: %s\n", e.what());
    return 1;
  }
  return 0;
}
