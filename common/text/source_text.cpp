#include "text/source_text.hpp"

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, yet
// still part of its API; see sha256_digest for why they are used here.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <fcntl.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/errors.hpp"

namespace mig {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is malformed
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence_length(const std::string& s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

}  // namespace

LineColumn line_column_at(const std::string& text, std::size_t byte_offset) {
  LineColumn at{1, 1};
  const std::size_t end = std::min(byte_offset, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

LineIndex::LineIndex(const std::string& text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineColumn LineIndex::at(std::size_t byte_offset) const {
  const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte_offset);
  const auto line = static_cast<int>(next - line_starts_.begin());
  return LineColumn{line, static_cast<int>(byte_offset - line_starts_[line - 1]) + 1};
}

std::optional<EncodingProblem> find_encoding_problem(const std::string& bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Plain ASCII other than NUL is the common case: skip it a byte at a time.
    if (static_cast<unsigned char>(bytes[i] - 1) < 0x7F) {
      ++i;
      continue;
    }
    if (bytes[i] == '\0') {
      return EncodingProblem{i, line_column_at(bytes, i).line, "NUL byte"};
    }
    const std::size_t len = utf8_sequence_length(bytes, i);
    if (len == 0) {
      return EncodingProblem{i, line_column_at(bytes, i).line, "invalid UTF-8"};
    }
    i += len;
  }
  return std::nullopt;
}

std::string normalize_source(std::string bytes) {
  const bool bom = bytes.compare(0, 3, "\xEF\xBB\xBF") == 0;
  if (bom) bytes.erase(0, 3);
  if (bytes.find("\r\n") == std::string::npos) return bytes;
  std::size_t out = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') continue;
    bytes[out++] = bytes[i];
  }
  bytes.resize(out);
  return bytes;
}

std::string sha256_digest(const std::string& data) {
  // OpenSSL's direct SHA-256 rather than EVP: EVP's first use loads the config
  // and the default provider (~5,000 allocations, about a millisecond), which a
  // short run like mig-status would pay just to checksum a few small files.
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(digest, &ctx);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string sha256_checksum(const std::string& text) {
  static const char* hex = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned char byte : sha256_digest(text)) {
    out.push_back(hex[byte >> 4]);
    out.push_back(hex[byte & 0x0F]);
  }
  return out;
}

std::string read_file_bytes(const std::string& path) { return read_file_bytes_at(AT_FDCWD, path, path); }

std::string read_file_bytes_at(int dir_fd, const std::string& name, const std::string& path) {
  // Plain POSIX reads into a buffer that fits a typical migration whole: open,
  // read, a read that sees the end, close. A status run does this per file.
  const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw invalid_input("unreadable_file", path + ": cannot read the file (" + std::strerror(errno) + ")");
  thread_local char buffer[65536];
  std::string content;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      throw invalid_input("unreadable_file", path + ": read error (" + std::strerror(errno) + ")");
    }
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return content;
}

}  // namespace mig
