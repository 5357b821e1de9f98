// The statements of a schema file as PostgreSQL's parser reads them, checked
// before anything runs: a schema file describes one database, so statements
// that act on the cluster (databases, roles, tablespaces, ALTER SYSTEM,
// subscriptions, ...) or psql meta-commands are refused with file:line.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace mig::diff {

struct SchemaStatement {
  std::size_t begin = 0;   // byte offsets in the file's text, as scan_sql gives them
  std::size_t end = 0;
  int line = 0;            // 1-based line of its first token
  bool extension = false;  // CREATE EXTENSION, COMMENT ON EXTENSION: run with the DSN's own power, not the sandbox role's
  bool owner = false;      // ALTER ... OWNER TO: owners are not diffed, and the sandbox cannot act as
                           // another role, so it is skipped and reported as unsupported
};

// Splits and parses `text`; throws mig::Error (exit 3, file:line) for a lexical
// or syntax error, a psql meta-command, or a cluster-level statement.
std::vector<SchemaStatement> read_schema_statements(const std::string& path, const std::string& text);

}  // namespace mig::diff
