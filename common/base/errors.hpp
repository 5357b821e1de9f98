// Exit codes (CONTRACT §7) and the one error type that carries them.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

namespace mig {

enum class ExitCode : int {
  ok = 0,
  check_failed = 1,
  usage = 2,
  invalid_input = 3,
  database_unreachable = 4,
  migration_failed = 5,
  lock_unavailable = 6,
  needs_repair = 7,
  external_failed = 8,
  internal = 70,
  // Stopped by SIGTERM/SIGINT: the process exits 128 + the signal (shell convention).
  interrupted = 128,
};

// Where in a file an error points; line and column are 1-based.
struct SourcePosition {
  std::string file;
  std::optional<int> line;
  std::optional<int> column;
};

// Every failure a tool reports: an exit code, a machine-readable kind
// (the result document's error.kind) and a human message.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, std::string kind, const std::string& message)
      : std::runtime_error(message), code_(code), kind_(std::move(kind)) {}

  ExitCode code() const { return code_; }
  const std::string& kind() const { return kind_; }
  const std::optional<std::string>& sqlstate() const { return sqlstate_; }
  const std::optional<SourcePosition>& position() const { return position_; }
  // For a query string of several statements: the 0-based index of the one that
  // failed (the count of statements the server completed before it).
  const std::optional<int>& failed_statement() const { return failed_statement_; }

  Error& with_sqlstate(std::string state) {
    sqlstate_ = std::move(state);
    return *this;
  }
  Error& with_position(SourcePosition position) {
    position_ = std::move(position);
    return *this;
  }
  Error& with_failed_statement(int index) {
    failed_statement_ = index;
    return *this;
  }

 private:
  ExitCode code_;
  std::string kind_;
  std::optional<std::string> sqlstate_;
  std::optional<SourcePosition> position_;
  std::optional<int> failed_statement_;
};

inline Error usage_error(const std::string& message) {
  return Error(ExitCode::usage, "usage", message);
}
inline Error invalid_input(const std::string& kind, const std::string& message) {
  return Error(ExitCode::invalid_input, kind, message);
}

// The process exit status for a code (128 + the signal for `interrupted`).
int exit_status(ExitCode code);

}  // namespace mig
