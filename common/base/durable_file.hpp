// Files that must survive a crash or a full disk: fsync, atomic replace,
// and streaming SHA-256 for files too big to read at once.
#pragma once
#include <cstdint>
#include <string>

namespace mig {

// fsync a file or a directory; throws mig::Error (exit 8) naming it.
void fsync_path(const std::string& path);

// Writes `content` to a temporary name beside `path`, fsyncs it, renames it
// over `path` and fsyncs the folder: readers see the old file or the new one.
void write_file_atomically(const std::string& path, const std::string& content);

// Renames and fsyncs the folder.
void rename_durably(const std::string& from, const std::string& to);

// "sha256:..." of a file's bytes, read in chunks.
std::string file_sha256(const std::string& path);

std::uint64_t file_size(const std::string& path);

}  // namespace mig
