// A migration file's bytes as mig sees them: validated UTF-8, BOM dropped,
// CRLF turned into LF, and the checksum of exactly that text (CONTRACT §3).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace mig {

struct EncodingProblem {
  std::size_t byte_offset;  // 0-based offset of the first offending byte
  int line;                 // 1-based line holding it
  std::string reason;       // "invalid UTF-8", "NUL byte"
};

// The first byte that is not valid UTF-8, or a NUL (PostgreSQL cannot take one).
std::optional<EncodingProblem> find_encoding_problem(const std::string& bytes);

// Drops a leading UTF-8 BOM and turns every CRLF into LF.
std::string normalize_source(std::string bytes);

// "sha256:" + lowercase hex of SHA-256 over `text`.
std::string sha256_checksum(const std::string& text);

// The raw 32-byte SHA-256 digest of `data`.
std::string sha256_digest(const std::string& data);

// Reads a whole file; throws mig::Error (invalid_input) naming it when unreadable.
std::string read_file_bytes(const std::string& path);
// The same for `name` inside the open folder `dir_fd`; `path` names it in messages.
std::string read_file_bytes_at(int dir_fd, const std::string& name, const std::string& path);

// 1-based line and column (in bytes) of a byte offset in `text`.
struct LineColumn {
  int line;
  int column;
};
LineColumn line_column_at(const std::string& text, std::size_t byte_offset);

// Offset -> line:column lookups in O(log n), for files with many statements.
class LineIndex {
 public:
  explicit LineIndex(const std::string& text);
  LineColumn at(std::size_t byte_offset) const;

 private:
  std::vector<std::size_t> line_starts_;
};

}  // namespace mig
