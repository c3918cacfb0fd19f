#pragma once
// Crash-safe file replacement: a reader of `path` sees either the old complete file or the new complete
// file, never a partial one, even if the process or the machine dies mid-write.

#include <filesystem>
#include <functional>
#include <string>

namespace ablate::train {

// `write` fills a temporary file (named from `path` plus ".tmp-<pid>", in the same directory so the
// rename stays within one filesystem); the temporary is fsync'd, renamed over `path`, and the directory is
// fsync'd so the rename itself is durable. If `write` or any step throws, the temporary is removed, `path`
// is left as it was, and the exception propagates (std::system_error for OS failures, naming the path).
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(const std::string& temp_path)>& write);

}  // namespace ablate::train
