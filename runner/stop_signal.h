#pragma once
// SIGINT/SIGTERM as a polite request: the handler only sets a flag; the trainer polls it between steps
// (EpochSink::should_stop), so the run ends at a step boundary with its last complete epoch checkpointed.
// A second signal while stopping restores the default action, so a stuck process can still be killed.

namespace ablate::runner {

// The exit status of a sweep that stopped on request: 128 + SIGINT, as a shell reports an interrupted command.
constexpr int kExitStopped = 130;

void install_stop_handlers();
bool stop_requested();
int stop_signal();         // the signal that asked, 0 when none
int stop_signal_count();   // how many stop signals came (the data-parallel launcher escalates on the second)

}  // namespace ablate::runner
