// The two sides of a mig-diff run, each in a scratch database: what migrations/
// produce, and the DSN's live database copied from its own catalog model or, when
// the model cannot rebuild it exactly, with pg_dump/pg_restore.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "catalog/catalog.hpp"
#include "diff/session.hpp"

namespace mig {
class Database;
}

namespace mig::diff {

class SandboxRole;

std::unique_ptr<Database> connect_to(const DiffOptions& o, const std::string& dbname);
// Schema files run as the throwaway role; a refused login says how to allow it (exit 4).
std::unique_ptr<Database> connect_as_sandbox(const SandboxRole& role, const std::string& dsn);

// pg_dump files of mig-diff runs whose process is gone (killed with SIGKILL).
void remove_abandoned_dump_files();
// The DSN's database, schema only, restored into `scratch` (pg_dump, pg_restore).
void copy_with_pg_dump(Database& admin, const DiffOptions& o, const std::string& scratch);
// What migrations/ produce, applied to `scratch`, read on the same connection.
catalog::Catalog build_from_migrations(const DiffOptions& o, const std::string& scratch);
// The live database rebuilt in `scratch` from its own catalog model; the live
// catalog, or nullopt when the copy is not exact (the caller then uses pg_dump).
std::optional<catalog::Catalog> copy_live_database(Database& admin, const DiffOptions& o, const std::string& scratch);

}  // namespace mig::diff
