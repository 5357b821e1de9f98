// The two sides of a mig-diff run, each in a scratch database: what migrations/
// produce, and the DSN's live database copied from its own catalog model or, when
// the model cannot rebuild it exactly, with pg_dump/pg_restore.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "catalog/catalog.hpp"
#include "diff/session.hpp"
#include "pg/scratch_database.hpp"

namespace mig {
class Database;
}

namespace mig::diff {

class SandboxRole;
class SideCache;

std::unique_ptr<Database> connect_to(const DiffOptions& o, const std::string& dbname);
// Schema files run as the throwaway role; a refused login says how to allow it (exit 4).
std::unique_ptr<Database> connect_as_sandbox(const SandboxRole& role, const std::string& dsn);

// pg_dump files of mig-diff runs whose process is gone (killed with SIGKILL).
void remove_abandoned_dump_files();
// The DSN's database, schema only, restored into `scratch` (pg_dump, pg_restore).
void copy_with_pg_dump(Database& admin, const DiffOptions& o, const std::string& scratch);
// The current side for the rest of a run: its catalog, and the database a
// plan is replayed in.
struct CurrentSide {
  catalog::Catalog catalog;
  // Built (or copied) for this run and dropped at its end: a replay commits in it.
  std::optional<ScratchDatabase> scratch;
  // Else the side cache's own database, served as it is (nothing copied): a
  // replay there runs in one transaction that is rolled back.
  std::string cache_entry;
  const std::string& database() const { return scratch ? scratch->name() : cache_entry; }
};

// What migrations/ produce: the side cache's database when the files are the
// ones it was built from, else a new scratch database the files are applied to
// (and which the cache keeps a copy of).
void migrations_side(Database& admin, const DiffOptions& o, SideCache& cache, CurrentSide& side);

// The live database: the side cache's database when the live catalog model is
// the one the entry was rebuilt from, else rebuilt from that model in a new
// scratch database (and kept). False when the model cannot rebuild it exactly
// (the caller then copies it with pg_dump); the catalog is the live one.
bool live_side(Database& admin, const DiffOptions& o, SideCache& cache, CurrentSide& side);

}  // namespace mig::diff
