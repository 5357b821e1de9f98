// One mig-diff run against a server: both sides built in scratch databases
// and read from the catalogs, the plan made, and (unless only checking) the
// plan proven by replaying it, and its reverse, on the current side (a scratch
// database, or the side cache's own inside a transaction rolled back).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "cli/config.hpp"
#include "diff/plan.hpp"
#include "diff/schema_dir.hpp"
#include "engine/migrator.hpp"

namespace mig::diff {

struct DiffOptions {
  std::string dsn;
  HistoryTableName history;
  Timeouts timeouts;
  bool session_pooler = false;  // Config::session_pooler
  std::string migrations_dir;
  bool repeatables = true;  // the migrations side runs the repeatable ones too (a checkpoint leaves them out)
  bool against_db = false;  // the current side is the DSN's database (copied with pg_dump), not migrations/
  bool validate = true;     // replay up and down on the current side (everything but --check)
  bool cache = true;        // keep and reuse built sides on the server (diff/side_cache; --no-cache)
  std::vector<Rename> renames;  // what schema/ declares (find_renames), checked before connecting
  std::optional<std::string> pg_bin;
  // Called with the up plan (renames first) as soon as it is final, before it is
  // replayed: mig-diff lints it for hazards meanwhile.
  std::function<void(const Plan&)> on_planned;
};

// The options a run's settings give (DSN, history table, timeouts, pooler, migrations folder).
DiffOptions diff_options_from(const Config& config);

// The bounds of a read of the DSN's own database: the tool's --lock-timeout and
// --statement-timeout (10 minutes when unset).
catalog::ReadBounds live_read_bounds(const DiffOptions& o);

struct DiffOutcome {
  catalog::Catalog current, desired;
  std::vector<Rename> renames;     // the ones the current side still needs
  Plan up;                         // renames first, then the changes
  Plan down_separate;              // reverts up.separate (runs first)
  Plan down;                       // reverts up.transactional
  Plan down_before;                // reverts up.before (the enum values; runs last)
  bool validated = false;
  bool converged = false;
  std::string cache;  // the current side: hit, miss (built and kept) or off
  std::vector<std::string> remaining;  // why it did not converge
  bool different() const { return !up.empty(); }
};

// `admin` is connected to the DSN's database; it is read (with --against-db)
// and used to create and drop the scratch databases, never changed.
DiffOutcome compute_diff(Database& admin, const DiffOptions& options, const std::vector<SchemaFile>& schema);

// The schema migrations/ produce, built in a scratch database on `admin`'s server.
catalog::Catalog migrations_catalog(Database& admin, const DiffOptions& options);


}  // namespace mig::diff
