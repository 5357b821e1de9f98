// The migrations folder (CONTRACT §3): found, name-checked, ordered, checksummed.
#pragma once
#include <optional>
#include <ctime>
#include <string>
#include <vector>

#include "base/versions.hpp"
#include "pg/history.hpp"

namespace mig {

struct MigrationFile {
  std::string path;      // as found in the folder, for messages
  std::string text;      // UTF-8, BOM dropped, CRLF -> LF: what the server runs
  std::string checksum;  // "sha256:..." of `text`
};

struct Migration {
  std::string version;  // digits as written in the file name
  std::string name;
  MigrationFile up;
  std::optional<MigrationFile> down;
  std::optional<MigrationFile> verify;
  // `-- mig:checkpoint`: the whole schema as of the version before it. An empty
  // database starts from the newest one; a database that has the files before
  // it records it without running it.
  bool checkpoint = false;
  // `<name>.repeatable.sql`: re-applied after the versioned migrations whenever
  // its checksum changed. `version` is then its history key, repeatable_key(name).
  bool repeatable = false;

  // What the history table keeps of it.
  MigrationRecord record() const { return {version, name, up.checksum}; }
  // "<version>_<name>", or "<name>.repeatable": how messages name it.
  std::string label() const;
};


// Something wrong with the folder; `rule` is the mig-lint rule id.
struct SetProblem {
  std::string rule;  // file-name, duplicate-version, orphan-down, invalid-encoding
  std::string file;
  std::string message;
  std::optional<int> line;
};

struct MigrationSet {
  std::string dir;
  std::vector<Migration> migrations;  // ordered by version, numerically
  std::vector<Migration> repeatables = {};  // <name>.repeatable.sql, ordered by file name
};

struct ScannedSet {
  MigrationSet set;  // the well-formed part
  std::vector<SetProblem> problems;
};

// Reads the folder and reports every problem found (for mig-lint).
ScannedSet scan_migration_set(const std::string& dir);

// Reads the folder; any problem is a mig::Error (exit 3) naming the file.
MigrationSet load_migration_set(const std::string& dir);

bool is_valid_migration_name(const std::string& name);

// Why NAME cannot name a new migration (mig-new, mig-diff --write), or nullopt:
// only [A-Za-z0-9_-], and short enough that every file made from it
// (<version>_<name>_online.down.sql) fits a file name's 255 bytes.
std::optional<std::string> new_migration_name_problem(const std::string& name);

// The UTC yyyymmddHHMMSS version of `from`, or of the next second no file in
// `dir` (which must exist) starts with: two migrations made in one second differ.
std::string next_free_version(const std::string& dir, std::time_t from);

}  // namespace mig
