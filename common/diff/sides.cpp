#include "diff/sides.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/errors.hpp"
#include "base/host.hpp"
#include "base/log.hpp"
#include "base/process.hpp"
#include "diff/phase_clock.hpp"
#include "diff/sandbox_role.hpp"
#include "diff/side_cache.hpp"
#include "diff/validation.hpp"
#include "engine/migration_set.hpp"
#include "pg/db.hpp"
#include "pg/pg_tools.hpp"

namespace mig::diff {
namespace {

// pg_dump's file is /tmp/mig-diff-<pid>-XXXXXX: a run killed with SIGKILL
// cannot remove its own, so the next run removes those whose process is gone.
const std::string kDumpFilePrefix = "/tmp/mig-diff-";

}  // namespace

using catalog::Catalog;

std::unique_ptr<Database> connect_to(const DiffOptions& o, const std::string& dbname) {
  return Database::connect(dsn_with_dbname(o.dsn, dbname), "mig-diff");
}

std::unique_ptr<Database> connect_as_sandbox(const SandboxRole& role, const std::string& dsn) {
  try {
    return Database::connect(role.login_dsn(dsn), "mig-diff-schema");
  } catch (const Error& e) {
    if (e.kind() != "authentication_failed") throw;
    throw Error(ExitCode::database_unreachable, "sandbox_login_failed",
                "mig-diff runs schema files as a throwaway role (" + role.name() +
                    ") that logs in with a password, and the server refused it: let pg_hba.conf accept password "
                    "(scram-sha-256) logins for roles named mig_sandbox_* on the DSN's host and port");
  }
}

void remove_abandoned_dump_files() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/tmp", ec)) {
    const std::string file = entry.path().string();
    if (file.rfind(kDumpFilePrefix, 0) != 0) continue;
    const int pid = std::atoi(file.c_str() + kDumpFilePrefix.size());
    if (pid <= 0 || pid == getpid() || process_alive(pid)) continue;
    std::filesystem::remove(entry.path(), ec);
  }
}

// The DSN's database, schema only, restored into `scratch` (pg_dump, pg_restore).
void copy_with_pg_dump(Database& admin, const DiffOptions& o, const std::string& scratch) {
  const PgTools tools = find_pg_tools(admin.server_version(), o.pg_bin);
  std::string name = kDumpFilePrefix + std::to_string(getpid()) + "-XXXXXX";
  std::vector<char> path_buffer(name.begin(), name.end());
  path_buffer.push_back('\0');
  char* path = path_buffer.data();
  const int fd = mkstemp(path);
  if (fd < 0) throw Error(ExitCode::external_failed, "pg_dump_failed", "cannot create a temporary file for pg_dump");
  close(fd);
  struct Remove {
    const char* p;
    ~Remove() { std::remove(p); }
  } remove{path};
  const auto env = pg_child_env(o.dsn, "mig-diff");
  std::vector<std::string> dump = {"--schema-only", "--format=custom", "--no-password", "--file=" + std::string(path),
                                   "--lock-wait-timeout=" + std::to_string(o.timeouts.lock_timeout.count())};
  if (!o.dsn.empty()) dump.push_back("--dbname=" + dsn_without_password(o.dsn));
  const ProcessOutcome dumped = run_process({tools.pg_dump, dump, env});
  if (!dumped.ok()) throw Error(ExitCode::external_failed, "pg_dump_failed", "pg_dump of the current database " + dumped.describe());
  const std::vector<std::string> restore = {"--exit-on-error", "--no-owner", "--no-password",
                                            "--dbname=" + dsn_without_password(dsn_with_dbname(o.dsn, scratch)), path};
  const ProcessOutcome restored = run_process({tools.pg_restore, restore, env});
  if (!restored.ok()) throw Error(ExitCode::external_failed, "pg_restore_failed", "pg_restore into a scratch database " + restored.describe());
}

namespace {

// A rebuild (a copy) holds every index valid: the live side's INVALID marks are left out.
const catalog::Comparison kAsACopyHoldsIt{false, true};

// The migrations side's catalog read in the cache entry `hit` itself; nullopt
// when it cannot be read (another run dropped the entry a moment ago): the
// caller then builds the side.
std::optional<Catalog> read_in_place(const DiffOptions& o, SideCache& cache, const std::string& hit) {
  try {
    return catalog::read_catalog(*connect_to(o, hit), o.history);
  } catch (const Error& e) {
    log::info("could not read the cached side ", hit, " (", server_message_line(e.what()), "); building it instead");
    cache.copy_failed();
    return std::nullopt;
  }
}

// Every input that changes what the migrations build: the history table, each
// file's version, name and checksum, and the repeatable ones that run.
SideInputs migrations_inputs(const MigrationSet& set, const DiffOptions& o) {
  std::error_code ec;
  const std::string folder = std::filesystem::absolute(o.migrations_dir, ec).string();
  SideInputs inputs{"migrations", this_host() + ":" + folder, {"history " + o.history.schema + "." + o.history.table}};
  for (const Migration& m : set.migrations) inputs.parts.push_back(m.version + " " + m.name + " " + m.up.checksum);
  for (const Migration& m : set.repeatables) inputs.parts.push_back(m.version + " " + m.up.checksum);
  return inputs;
}

Catalog apply_migrations(const DiffOptions& o, const MigrationSet& set, const std::string& scratch) {
  auto db = connect_to(o, scratch);
  const std::string dsn = dsn_with_dbname(o.dsn, scratch);
  MigratorContext ctx{*db, o.history, o.timeouts, [dsn] { return Database::connect(dsn, "mig-diff-watch"); }, nullptr};
  ctx.announce = false;
  ctx.session_pooler = o.session_pooler;
  migrate(ctx, set, ApplyOptions{});
  return catalog::read_catalog(*db, o.history);
}

}  // namespace

void migrations_side(Database& admin, const DiffOptions& o, SideCache& cache, CurrentSide& side) {
  MigrationSet set = load_migration_set(o.migrations_dir);
  if (!o.repeatables) set.repeatables.clear();
  const SideInputs inputs = migrations_inputs(set, o);
  if (const auto hit = cache.find(inputs)) {
    if (auto read = read_in_place(o, cache, *hit)) {
      side.catalog = std::move(*read);
      side.cache_entry = *hit;
      return;
    }
  }
  side.scratch.emplace(admin, std::string("template0"));
  side.catalog = apply_migrations(o, set, side.scratch->name());  // its connections are closed when it returns
  cache.keep(inputs, side.scratch->name());
}

bool live_side(Database& admin, const DiffOptions& o, SideCache& cache, CurrentSide& side) {
  PhaseClock clock;
  side.catalog = catalog::read_catalog(admin, o.history, live_read_bounds(o));
  const Plan rebuild = plan_changes(Catalog{}, side.catalog, PlanOptions{false});
  SideInputs inputs{"live", "database " + admin.query("SELECT current_database()").scalar().value_or(""), {}};
  for (const Step& s : rebuild.transactional) inputs.parts.push_back(s.sql);
  for (const Step& s : rebuild.separate) inputs.parts.push_back(s.sql);
  clock.mark("live database read");
  if (const auto hit = cache.find(inputs)) {
    side.cache_entry = *hit;
    return true;
  }
  side.scratch.emplace(admin, std::string("template0"));
  bool exact = false;
  try {
    {
      auto db = connect_to(o, side.scratch->name());
      run_plan(*db, rebuild);
      clock.mark("rebuilt in the scratch database");
      const auto difference =
          catalog::catalog_difference(side.catalog, catalog::read_catalog(*db, o.history), kAsACopyHoldsIt);
      clock.mark("rebuild checked");
      exact = difference.empty();
      if (!exact) log::info("the catalog model cannot rebuild the database exactly (", difference.front(), "); copying it with pg_dump");
    }
    if (exact) cache.keep(inputs, side.scratch->name());  // the connection above is closed: it can be copied
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    log::info("rebuilding the live database from its catalog model failed (", server_message_line(e.what()),
              "); copying it with pg_dump instead");
  }
  return exact;
}

}  // namespace mig::diff
