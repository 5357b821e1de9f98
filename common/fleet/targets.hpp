// mig-fleet's targets (CONTRACT §11): the databases (or schemas) a tool runs
// against, from a file or a tenant registry query.
#pragma once
#include <string>
#include <vector>

namespace mig {

class Database;

struct Target {
  std::string name;   // in output; never the DSN (it may carry a password)
  std::string dsn;    // handed to the child as DATABASE_URL
  std::string group;  // "canary" runs first, alone
  std::vector<std::string> args;  // appended to the tool's arguments ("--schema", "tenant_42")
};

// FILE: a JSON array of {"name","dsn","group","args"}, or one DSN per line
// ('#' comments, blank lines skipped; a line's target is named after its
// database). Exit 3 naming the file and line for anything else.
std::vector<Target> read_targets_file(const std::string& path);

// Rows of `sql` on `registry`: name, dsn[, group]. Exit 3 when the result has
// fewer than two columns, or a row a null name or dsn.
std::vector<Target> query_targets(Database& registry, const std::string& sql);

// Exit 3 on no targets or two with one name.
void require_usable(const std::vector<Target>& targets, const std::string& source);

}  // namespace mig
