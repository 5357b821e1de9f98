#include "diff/session.hpp"

#include <chrono>
#include <future>
#include <optional>

#include "diff/phase_clock.hpp"
#include "diff/renames.hpp"
#include "diff/sandbox_role.hpp"
#include "diff/side_cache.hpp"
#include "diff/sides.hpp"
#include "diff/validation.hpp"
#include "base/duration.hpp"
#include "base/errors.hpp"
#include "pg/db.hpp"
#include "pg/scratch_database.hpp"

namespace mig::diff {
namespace {

using catalog::Catalog;

// The advisory lock (in the cache entry's own database) a replay in place holds.
constexpr long long kReplayLock = 0x6d69672d64696666;  // "mig-diff"

void prepend(Plan& plan, const std::vector<Step>& steps) {
  plan.transactional.insert(plan.transactional.begin(), steps.begin(), steps.end());
}

// Applies the renames the current side still needs, plans, and (unless only
// checking) replays the plan and its down in `db`. False, with nothing done to
// `out`, when a replay rolled back cannot hold the plan (Plan::before).
bool plan_and_prove(Database& db, const DiffOptions& o, DiffOutcome& out, Replay replay) {
  PhaseClock clock;
  std::optional<Catalog> renamed;  // the current side read again after the renames it still needed
  std::vector<Rename> renames;
  if (!o.renames.empty()) {
    renames = apply_renames(db, o.renames);
    if (!renames.empty()) renamed = catalog::read_catalog(db, o.history);
  }
  const Catalog& renamed_current = renamed ? *renamed : out.current;
  const Plan changes = plan_changes(renamed_current, out.desired);
  clock.mark("planned");
  const bool replays = o.validate && (!changes.empty() || !renames.empty());
  if (replay == Replay::rolled_back && replays && !changes.before.empty()) return false;
  out.renames = std::move(renames);
  out.up = changes;
  prepend(out.up, rename_steps(out.renames, false));
  if (o.on_planned) o.on_planned(out.up);
  if (replays) {
    validate(db, o, changes, renamed_current, out, replay);
    clock.mark("validated");
  } else {
    out.converged = !out.different();
  }
  return true;
}

// plan_and_prove in the side cache's database itself, inside one transaction
// rolled back at the end. Runs replaying in the same entry take turns (a
// transaction-level advisory lock, waited for up to --lock-timeout).
bool plan_and_prove_in_place(Database& db, const DiffOptions& o, const std::string& entry, DiffOutcome& out) {
  db.query("BEGIN;\nSELECT pg_catalog.set_config('lock_timeout', '" + std::to_string(o.timeouts.lock_timeout.count()) + "ms', true)");
  try {
    db.query("SELECT pg_catalog.pg_advisory_xact_lock(" + std::to_string(kReplayLock) + ")");
  } catch (const Error& e) {
    if (e.sqlstate() != "55P03") throw;
    throw Error(ExitCode::lock_unavailable, "lock_timeout",
                "another mig-diff has been replaying a plan in the cached side " + entry + " for more than " +
                    format_duration(o.timeouts.lock_timeout) + " (lock_timeout); try again, or give a longer --lock-timeout")
        .with_sqlstate("55P03");
  }
  const bool done = plan_and_prove(db, o, out, Replay::rolled_back);
  db.query("ROLLBACK");
  return done;
}

}  // namespace

catalog::ReadBounds live_read_bounds(const DiffOptions& o) {
  return {o.timeouts.lock_timeout, o.timeouts.statement_timeout.value_or(std::chrono::minutes(10))};
}

DiffOutcome compute_diff(Database& admin, const DiffOptions& o, const std::vector<SchemaFile>& schema) {
  PhaseClock clock;
  drop_abandoned_scratch_databases(admin);
  remove_abandoned_dump_files();
  DiffOutcome out;
  // The desired side is built on a thread of its own (its own connections):
  // both sides spend most of their time waiting on the server. Its catalog is
  // handed over as soon as it is read; its scratch database and role are
  // dropped while this thread plans and replays (`desired_done` waits for that).
  std::promise<Catalog> desired_read;
  std::future<Catalog> desired = desired_read.get_future();
  const std::future<void> desired_done = std::async(std::launch::async, [&o, &schema, &desired_read] {
    PhaseClock dclock;
    try {
      auto desired_admin = Database::connect(o.dsn, "mig-diff");
      const SandboxRole role(*desired_admin);  // declared first: dropped after the database it owns
      dclock.mark("desired: role");
      ScratchDatabase desired_db(*desired_admin, std::string("template0"), role.name());
      dclock.mark("desired: database");
      {
        auto owner = connect_to(o, desired_db.name());
        auto sandbox = connect_as_sandbox(role, dsn_with_dbname(o.dsn, desired_db.name()));
        dclock.mark("desired: connected");
        apply_schema_files(*sandbox, *owner, schema);
        dclock.mark("desired: files run");
        desired_read.set_value(catalog::read_catalog(*owner, o.history));
        dclock.mark("desired: read");
      }  // its connections closed: the database can be dropped
    } catch (...) {
      try {
        desired_read.set_exception(std::current_exception());
      } catch (const std::future_error&) {  // read already: a failed drop is logged by ScratchDatabase
      }
    }
    dclock.mark("desired: dropped");
  });
  SideCache cache(admin, o.cache);
  CurrentSide current;
  try {
    if (!o.against_db) {
      migrations_side(admin, o, cache, current);
    } else if (!live_side(admin, o, cache, current)) {  // starts over in a fresh scratch database
      current.scratch.emplace(admin, std::string("template0"));
      copy_with_pg_dump(admin, o, current.scratch->name());
    }
    clock.mark(cache.state() == "hit" ? "current side found in the cache and read" : "current side built and read");
    out.cache = cache.state();
  } catch (...) {
    desired_done.wait();  // its scratch database is dropped before this one's admin connection goes
    throw;
  }
  out.current = current.catalog;
  // The session a replay in the cached side runs in is opened while the desired side is built.
  std::unique_ptr<Database> in_place;
  if (!current.scratch) in_place = connect_to(o, current.cache_entry);
  out.desired = desired.get();
  clock.mark("desired side built and read");
  if (!current.scratch) {
    if (plan_and_prove_in_place(*in_place, o, current.cache_entry, out)) return out;
    in_place.reset();  // the entry is copied next: no session may be in it
    // Enum values that must commit before they are used: the cached side is copied after all.
    current.scratch.emplace(admin, current.cache_entry, std::nullopt, true);
    clock.mark("cached side copied to replay enum values that commit first");
  }
  plan_and_prove(*connect_to(o, current.scratch->name()), o, out, Replay::committed);
  return out;
}

DiffOptions diff_options_from(const Config& config) {
  DiffOptions o;
  o.dsn = config.dsn;
  o.history = config.table;
  o.timeouts = config.timeouts;
  o.session_pooler = config.session_pooler;
  o.migrations_dir = config.dir;
  return o;
}

Catalog migrations_catalog(Database& admin, const DiffOptions& o) {
  drop_abandoned_scratch_databases(admin);
  SideCache cache(admin, o.cache);
  CurrentSide side;
  migrations_side(admin, o, cache, side);
  return std::move(side.catalog);
}

}  // namespace mig::diff
