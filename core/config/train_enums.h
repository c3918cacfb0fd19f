#pragma once
// The closed sets among the train settings, as enums: parsed once where text comes in (the YAML decoder,
// a stored run's JSON) and printed back with to_string (JSON, messages, the canonical form: the same text
// as before they were enums, so run keys did not change). Past that edge nothing compares strings.
// Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace ablate::config {

// train.schedule.kind (see core/train/lr_schedule.h for what each does).
enum class ScheduleKind { step, multistep, cosine };

// train.precision: fp32, or bf16 autocast (CUDA GPUs with bf16 support only; refused elsewhere, so a
// run's key always names the precision it trained in).
enum class Precision { fp32, bf16 };

// train.device: auto (CUDA device 0 when LibTorch sees a GPU, else the CPU), cpu, cuda or cuda:N.
enum class DeviceKind { automatic, cpu, cuda };

struct DeviceSpec {
  DeviceKind kind = DeviceKind::automatic;
  int64_t index = -1;  // cuda only: -1 for plain "cuda" (device 0), else N of "cuda:N"

  bool operator==(const DeviceSpec& other) const { return kind == other.kind && index == other.index; }
  bool operator!=(const DeviceSpec& other) const { return !(*this == other); }
};

const char* to_string(ScheduleKind kind);
const char* to_string(Precision precision);
std::string to_string(const DeviceSpec& device);  // "auto" | "cpu" | "cuda" | "cuda:N"

// The spellings each parse accepts, in documentation order (for choice lists and did-you-mean).
const std::vector<std::string>& schedule_kind_names();  // step, multistep, cosine
const std::vector<std::string>& precision_names();      // fp32, bf16

// Each throws std::invalid_argument naming the train.* key, the value and what is accepted.
ScheduleKind parse_schedule_kind(const std::string& text);
Precision parse_precision(const std::string& text);
DeviceSpec parse_device(const std::string& text);

}  // namespace ablate::config
