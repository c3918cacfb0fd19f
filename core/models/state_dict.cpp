#include "core/models/state_dict.h"

#include <map>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ablate::models {

namespace {

void collect(const torch::nn::Module& module, const std::string& prefix, NamedTensors& out) {
  for (const auto& item : module.named_parameters(/*recurse=*/false)) out.emplace_back(prefix + item.key(), item.value());
  for (const auto& item : module.named_buffers(/*recurse=*/false)) out.emplace_back(prefix + item.key(), item.value());
  for (const auto& child : module.named_children()) collect(*child.value(), prefix + child.key() + ".", out);
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "3 keys missing from the file (a, b, c)": the first few of a list of names, with the count.
std::string listed(const std::vector<std::string>& names, const char* singular, const char* plural) {
  constexpr size_t kShown = 5;
  std::vector<std::string> shown(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), kShown)));
  if (names.size() > kShown) shown.push_back(fmt::format("... {} more", names.size() - kShown));
  return fmt::format("{} {} ({})", names.size(), names.size() == 1 ? singular : plural, fmt::join(shown, ", "));
}

}  // namespace

NamedTensors state_dict(const torch::nn::Module& module) {
  NamedTensors out;
  collect(module, "", out);
  return out;
}

void load_state_dict(torch::nn::Module& module, const NamedTensors& tensors, const std::string& source) {
  const NamedTensors own = state_dict(module);
  std::map<std::string, const torch::Tensor*> given;
  for (const auto& [name, tensor] : tensors) given.emplace(name, &tensor);

  std::vector<std::string> missing, unexpected, reshaped;
  std::map<std::string, bool> known;
  for (const auto& [name, tensor] : own) {
    known[name] = true;
    const auto found = given.find(name);
    if (found == given.end()) {
      if (!ends_with(name, ".num_batches_tracked")) missing.push_back(name);
    } else if (found->second->sizes() != tensor.sizes()) {
      reshaped.push_back(fmt::format("{}: file [{}], model [{}]", name, fmt::join(found->second->sizes(), ", "),
                                     fmt::join(tensor.sizes(), ", ")));
    }
  }
  bool all_prefixed = !tensors.empty();
  for (const auto& [name, tensor] : tensors) {
    if (known.count(name) == 0) unexpected.push_back(name);
    all_prefixed = all_prefixed && name.rfind("module.", 0) == 0;
  }
  if (!missing.empty() || !unexpected.empty() || !reshaped.empty()) {
    std::vector<std::string> parts;
    if (!missing.empty()) parts.push_back(listed(missing, "key missing from the file", "keys missing from the file"));
    if (!unexpected.empty()) parts.push_back(listed(unexpected, "key the model does not have", "keys the model does not have"));
    if (!reshaped.empty()) parts.push_back(listed(reshaped, "tensor of another shape", "tensors of another shape"));
    const char* hint = all_prefixed ? "; every key starts with 'module.' (saved from DataParallel: save "
                                      "model.module.state_dict() instead)"
                                    : "";
    throw std::invalid_argument(
        fmt::format("{}: the weights do not fit the model: {}{}", source, fmt::join(parts, "; "), hint));
  }

  torch::NoGradGuard no_grad;
  for (const auto& [name, tensor] : own) {
    const auto found = given.find(name);
    if (found != given.end()) tensor.copy_(*found->second);
  }
}

}  // namespace ablate::models
