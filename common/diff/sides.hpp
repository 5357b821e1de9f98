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
// What migrations/ produce, in a new scratch database made in `into`: copied
// from the side cache when the files are the ones it was built from, else
// built by applying them (and kept in the cache). Read on its own connection.
catalog::Catalog migrations_side(Database& admin, const DiffOptions& o, SideCache& cache,
                                 std::optional<ScratchDatabase>& into);
// The live database copied into a new scratch database made in `into`: from the
// side cache when its catalog model is the one the entry was rebuilt from,
// else rebuilt from that model (and kept). Returns the live catalog, or nullopt
// when the model cannot rebuild it exactly (the caller then uses pg_dump).
std::optional<catalog::Catalog> live_side(Database& admin, const DiffOptions& o, SideCache& cache,
                                          std::optional<ScratchDatabase>& into);

}  // namespace mig::diff
