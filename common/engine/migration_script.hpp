// Builds the one query string that runs migrations in a transaction together
// with their history rows, and maps a server error line back to file:line.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/errors.hpp"

namespace mig {

struct MigrationFile;

// Marks where a migration starts, inside its transaction...
constexpr const char* kMarkStartSql = "SELECT set_config('mig.started', clock_timestamp()::text, true)";
// ...and the milliseconds since, as the server measures them.
constexpr const char* kElapsedMsSql =
    "(extract(epoch FROM clock_timestamp() - current_setting('mig.started')::timestamptz) * 1000)::bigint";

class MigrationScript {
 public:
  // SQL of our own; must not contain a newline so file lines stay countable.
  void add_statement(const std::string& sql);
  // One generated statement (a diff plan's step), which may span lines.
  void add_generated(const std::string& sql);
  // The file's text on lines of its own, closed by a ';' on a fresh line.
  void add_file(const MigrationFile& file);

  const std::string& sql() const { return sql_; }
  // The file and line a 1-based line of sql() falls on, if it is in a file.
  std::optional<SourcePosition> locate(int query_line) const;
  // The file and first line of the 0-based statement of sql() (the server's
  // count of completed statements when one fails), if it is in a file.
  std::optional<SourcePosition> locate_statement(int index) const;
  // Where a server error points: its own line when it has one, else its statement's.
  std::optional<SourcePosition> locate(const Error& error) const;

 private:
  struct Segment {
    int first_line;
    int line_count;
    std::string path;
  };
  std::string sql_;
  int line_ = 1;
  std::vector<Segment> segments_;
  // Per statement of sql(): the file and line it starts on (empty path: ours).
  std::vector<SourcePosition> statements_;
};

}  // namespace mig
