#pragma once
// An exclusive lock on a run's checkpoint folder while one process trains into it. Claims in the
// results database keep two runners of one database apart; two databases given the same checkpoint
// folder (two terminals, each with its own --db and the default --checkpoints) would otherwise train
// the same run into the same files, each resuming from the other's checkpoints. The lock is flock(2) on
// <folder>/.lock: the kernel drops it when the holder exits, however it exits.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

namespace ablate::runner {

class FolderLock {
 public:
  // Takes the lock, creating the folder when needed. Returns null when another process holds it
  // (`holder` then says which pid, as that process wrote it); throws std::runtime_error naming the
  // folder when the lock file cannot be created.
  static std::unique_ptr<FolderLock> try_lock(const std::filesystem::path& folder, std::string& holder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  explicit FolderLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace ablate::runner
