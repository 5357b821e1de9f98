// One model of "the schema" read from PostgreSQL's catalogs, shared by
// mig-diff (what to change) and mig-dryrun (snapshots, round trips), so a
// diff and a round trip can never disagree about what "the same schema" is.
//
// A schema is a set of objects, each with a stable key ("column public.t.c"),
// the key of the object it belongs to, and its properties as JSON. Two
// schemas are the same when they hold the same keys with equal properties.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration.hpp"
#include "pg/history.hpp"

namespace mig {
class Database;
}

namespace mig::catalog {

struct Object {
  std::string kind;    // schema, extension, enum, composite, domain, domain-constraint, sequence, sequence-owner,
                       // table, column, partition-column (a partition's own default / NOT NULL), default, constraint, index, view, matview, function,
                       // trigger, policy, comment, grant
  std::string key;     // "<kind> <qualified, quoted name>": equal in two databases for the same object
  std::string parent;  // the key of the object this one belongs to (a column's table), or ""
  std::string name;    // how SQL names it: "public.t" for a table, "c" for a column of it
  nlohmann::json fields = nlohmann::json::object();  // compared
  int position = 0;                 // a column's attnum (not compared: order is not the schema)
  std::vector<std::string> depends;  // keys of the objects this one needs (pg_depend, resolved)
};

struct Catalog {
  std::map<std::string, Object> objects;
  // Objects in user schemas the model does not cover ("composite type public.pair"):
  // never diffed, never dropped.
  std::vector<std::string> unsupported;

  const Object* find(const std::string& key) const;
};

// Reads the database the connection is on (read-only; the session's
// search_path is set to '' so every name in a definition is qualified).
// mig's history table and extension members are left out.
// Bounded (nothing may hang): a definition function waits for the lock of the
// relation it reads, so a read behind a long ALTER TABLE stops after
// lock_timeout (exit 6, SQLSTATE 55P03), and the whole read after statement_timeout.
// Inside an open transaction (a replay rolled back at its end) it reads what
// that transaction sees, in a savepoint it rolls back to.
struct ReadBounds {
  Duration lock_timeout = std::chrono::seconds(10);
  Duration statement_timeout = std::chrono::minutes(10);
};
Catalog read_catalog(Database& db, const HistoryTableName& history, const ReadBounds& bounds = {});

// The same schema with every index taken as valid: what a copy of it (built
// from the model, or by pg_dump) holds, since an INVALID index (a failed
// CREATE INDEX CONCURRENTLY) cannot be created on purpose.
Catalog with_indexes_valid(Catalog catalog);

// The same schema without extension versions: what a down restores. A down
// never downgrades an extension (they ship update scripts, not downgrades), so
// a round trip and mig-diff's proof of a down compare without them.
Catalog without_extension_versions(Catalog catalog);

// "key {fields}" per object, sorted: the schema snapshot format.
std::vector<std::string> catalog_lines(const Catalog& catalog);

// What a comparison leaves out: an index's INVALID mark (a copy holds every index
// valid; with_indexes_valid) and extensions' versions (a down never downgrades
// one; without_extension_versions). Both compared unless said otherwise.
struct Comparison {
  bool index_validity = true;
  bool extension_versions = true;
};

// "- line" for what only `expected` has (or has differently), "+ line" for `actual`,
// each sorted. Only the objects that differ are rendered as lines.
std::vector<std::string> catalog_difference(const Catalog& expected, const Catalog& actual, const Comparison& compare = {});
// The same over sorted lines (a snapshot file against a catalog's lines).
std::vector<std::string> line_difference(const std::vector<std::string>& expected, const std::vector<std::string>& actual);

}  // namespace mig::catalog
