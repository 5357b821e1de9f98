#include "diff/session.hpp"

#include <chrono>
#include <future>

#include "diff/phase_clock.hpp"
#include "diff/renames.hpp"
#include "diff/sandbox_role.hpp"
#include "diff/side_cache.hpp"
#include "diff/sides.hpp"
#include "diff/validation.hpp"
#include "pg/db.hpp"
#include "pg/scratch_database.hpp"

namespace mig::diff {
namespace {

using catalog::Catalog;

void prepend(Plan& plan, const std::vector<Step>& steps) {
  plan.transactional.insert(plan.transactional.begin(), steps.begin(), steps.end());
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
  // both sides spend most of their time waiting on the server.
  std::future<Catalog> desired = std::async(std::launch::async, [&o, &schema] {
    PhaseClock dclock;
    auto desired_admin = Database::connect(o.dsn, "mig-diff");
    const SandboxRole role(*desired_admin);  // declared first: dropped after the database it owns
    dclock.mark("desired: role");
    ScratchDatabase desired_db(*desired_admin, std::string("template0"), role.name());
    dclock.mark("desired: database");
    auto owner = connect_to(o, desired_db.name());
    auto sandbox = connect_as_sandbox(role, dsn_with_dbname(o.dsn, desired_db.name()));
    dclock.mark("desired: connected");
    apply_schema_files(*sandbox, *owner, schema);
    dclock.mark("desired: files run");
    auto c = catalog::read_catalog(*owner, o.history);
    dclock.mark("desired: read");
    return c;
  });
  std::optional<ScratchDatabase> current_db;
  SideCache cache(admin, o.cache);
  try {
    if (!o.against_db) {
      out.current = migrations_side(admin, o, cache, current_db);
    } else {
      if (auto live = live_side(admin, o, cache, current_db)) {
        out.current = std::move(*live);
      } else {  // starts over in a fresh scratch database
        current_db.emplace(admin, std::string("template0"));
        copy_with_pg_dump(admin, o, current_db->name());
        out.current = catalog::read_catalog(admin, o.history, live_read_bounds(o));
      }
    }
    clock.mark(cache.state() == "hit" ? "current side copied from the cache and read" : "current side built and read");
    out.cache = cache.state();
  } catch (...) {
    desired.wait();  // its scratch database is dropped before this one's admin connection goes
    throw;
  }
  out.desired = desired.get();
  clock.mark("desired side built and read");

  auto db = connect_to(o, current_db->name());
  Catalog renamed_current = out.current;
  if (!o.renames.empty()) {
    out.renames = apply_renames(*db, o.renames);
    if (!out.renames.empty()) renamed_current = catalog::read_catalog(*db, o.history);
  }
  const Plan changes = plan_changes(renamed_current, out.desired);
  out.up = changes;
  prepend(out.up, rename_steps(out.renames, false));
  clock.mark("planned");
  if (o.validate && out.different()) {
    validate(*db, o, changes, renamed_current, out);
    clock.mark("validated");
  } else {
    out.converged = !out.different();
  }
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
  std::optional<ScratchDatabase> scratch;
  return migrations_side(admin, o, cache, scratch);
}

}  // namespace mig::diff
