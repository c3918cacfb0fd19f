#include "core/config/train_enums.h"

#include <fmt/format.h>

#include <regex>
#include <stdexcept>

namespace ablate::config {

const char* to_string(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::step: return "step";
    case ScheduleKind::multistep: return "multistep";
    case ScheduleKind::cosine: return "cosine";
  }
  return "?";
}

const char* to_string(Precision precision) { return precision == Precision::bf16 ? "bf16" : "fp32"; }

std::string to_string(const DeviceSpec& device) {
  switch (device.kind) {
    case DeviceKind::automatic: return "auto";
    case DeviceKind::cpu: return "cpu";
    case DeviceKind::cuda: return device.index < 0 ? "cuda" : fmt::format("cuda:{}", device.index);
  }
  return "?";
}

const std::vector<std::string>& schedule_kind_names() {
  static const std::vector<std::string> names = {"step", "multistep", "cosine"};
  return names;
}

const std::vector<std::string>& precision_names() {
  static const std::vector<std::string> names = {"fp32", "bf16"};
  return names;
}

ScheduleKind parse_schedule_kind(const std::string& text) {
  for (ScheduleKind kind : {ScheduleKind::step, ScheduleKind::multistep, ScheduleKind::cosine}) {
    if (text == to_string(kind)) return kind;
  }
  throw std::invalid_argument(
      fmt::format("train.schedule.kind: expected step, multistep or cosine, got \"{}\"", text));
}

Precision parse_precision(const std::string& text) {
  if (text == "fp32") return Precision::fp32;
  if (text == "bf16") return Precision::bf16;
  throw std::invalid_argument(fmt::format("train.precision: expected fp32 or bf16, got \"{}\"", text));
}

DeviceSpec parse_device(const std::string& text) {
  if (text == "auto") return DeviceSpec{DeviceKind::automatic, -1};
  if (text == "cpu") return DeviceSpec{DeviceKind::cpu, -1};
  static const std::regex cuda("cuda(?::([0-9]{1,4}))?");
  std::smatch match;
  if (std::regex_match(text, match, cuda)) {
    return DeviceSpec{DeviceKind::cuda, match[1].matched ? std::stoll(match[1].str()) : -1};
  }
  throw std::invalid_argument(fmt::format("train.device: expected auto, cpu, cuda or cuda:N, got \"{}\"", text));
}

}  // namespace ablate::config
