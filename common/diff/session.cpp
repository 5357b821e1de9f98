#include "diff/session.hpp"

#include <unistd.h>

#include <cstdlib>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>

#include "pg/pg_tools.hpp"
#include "diff/sandbox_role.hpp"
#include "pg/db.hpp"
#include "base/errors.hpp"
#include "base/host.hpp"
#include "base/log.hpp"
#include "engine/migration_set.hpp"
#include "base/process.hpp"
#include "pg/scratch_database.hpp"

namespace mig::diff {
namespace {

using catalog::Catalog;

// Logs (at -v) how long each phase took since the last call.
class PhaseClock {
 public:
  void mark(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    log::debug(phase, " in ", std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count(), " ms");
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};


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

void run_statement(Database& db, const Step& step) {
  try {
    db.query(step.sql);
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    Error failed(ExitCode::migration_failed, "plan_failed", server_message_line(e.what()) + "\n  in: " + step.sql);
    if (e.sqlstate()) failed.with_sqlstate(*e.sqlstate());
    throw failed;
  }
}

// pg_dump's file is /tmp/mig-diff-<pid>-XXXXXX: a run killed with SIGKILL
// cannot remove its own, so the next run removes those whose process is gone.
const std::string kDumpFilePrefix = "/tmp/mig-diff-";

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
  const ProcessOutcome dumped = run_process({tools.pg_dump, dump, env, std::nullopt});
  if (!dumped.ok()) throw Error(ExitCode::external_failed, "pg_dump_failed", "pg_dump of the current database " + dumped.describe());
  const std::vector<std::string> restore = {"--exit-on-error", "--no-owner", "--no-password",
                                            "--dbname=" + dsn_without_password(dsn_with_dbname(o.dsn, scratch)), path};
  const ProcessOutcome restored = run_process({tools.pg_restore, restore, env, std::nullopt});
  if (!restored.ok()) throw Error(ExitCode::external_failed, "pg_restore_failed", "pg_restore into a scratch database " + restored.describe());
}

// What migrations/ produce, applied to `scratch`, read on the same connection.
Catalog build_from_migrations(const DiffOptions& o, const std::string& scratch) {
  const MigrationSet set = load_migration_set(o.migrations_dir);
  auto db = connect_to(o, scratch);
  const std::string dsn = dsn_with_dbname(o.dsn, scratch);
  MigratorContext ctx{*db, o.history, o.timeouts, [dsn] { return Database::connect(dsn, "mig-diff-watch"); }, nullptr};
  ctx.announce = false;
  migrate(ctx, set, ApplyOptions{});
  return catalog::read_catalog(*db, o.history);
}

// Applies the renames the current side still needs; returns them.
std::vector<Rename> apply_renames(Database& db, const std::vector<Rename>& wanted) {
  std::vector<Rename> applied;
  for (const Rename& r : wanted) {
    const std::string table = quoted_table(r.schema, r.table);
    std::string check, sql;
    if (r.column.empty()) {
      check = "SELECT to_regclass(" + db.literal(quoted_table(r.schema, r.old_name)) + ") IS NOT NULL AND to_regclass(" +
              db.literal(table) + ") IS NULL";
      sql = "ALTER TABLE " + quoted_table(r.schema, r.old_name) + " RENAME TO " + quoted(r.table);
    } else {
      check = "SELECT count(*) FILTER (WHERE attname = " + db.literal(r.old_name) + ") = 1 AND count(*) FILTER (WHERE attname = " +
              db.literal(r.column) + ") = 0 FROM pg_attribute WHERE attrelid = to_regclass(" + db.literal(table) +
              ") AND attnum > 0 AND NOT attisdropped";
      sql = "ALTER TABLE " + table + " RENAME COLUMN " + quoted(r.old_name) + " TO " + quoted(r.column);
    }
    if (db.query(check).scalar().value_or("f") != "t") continue;
    db.query(sql);
    applied.push_back(r);
  }
  return applied;
}

std::vector<Step> rename_steps(const std::vector<Rename>& renames, bool reverse) {
  std::vector<Step> steps;
  for (const Rename& r : renames) {
    if (r.column.empty()) {
      steps.push_back({reverse ? "ALTER TABLE " + quoted_table(r.schema, r.table) + " RENAME TO " + quoted(r.old_name)
                               : "ALTER TABLE " + quoted_table(r.schema, r.old_name) + " RENAME TO " + quoted(r.table)});
    } else {
      steps.push_back({"ALTER TABLE " + quoted_table(r.schema, r.table) + " RENAME COLUMN " +
                       (reverse ? quoted(r.column) + " TO " + quoted(r.old_name) : quoted(r.old_name) + " TO " + quoted(r.column))});
    }
  }
  if (reverse) {
    // Columns back first (while their table has its new name), then the tables.
    std::stable_partition(steps.begin(), steps.end(), [](const Step& s) { return s.sql.find(" RENAME COLUMN ") != std::string::npos; });
  }
  return steps;
}

void prepend(Plan& plan, const std::vector<Step>& steps) {
  plan.transactional.insert(plan.transactional.begin(), steps.begin(), steps.end());
}
void append(Plan& plan, const std::vector<Step>& steps) {
  plan.transactional.insert(plan.transactional.end(), steps.begin(), steps.end());
}

void note(std::vector<std::string>& remaining, const std::string& what, const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  remaining.push_back(what);
  for (const auto& l : lines) remaining.push_back("  " + l);
}

std::vector<std::string> plan_lines(const Plan& plan) {
  std::vector<std::string> lines;
  for (const Step& s : plan.transactional) lines.push_back(s.sql);
  for (const Step& s : plan.separate) lines.push_back(s.sql);
  return lines;
}

// Replays `changes` (the plan without its renames, which `db` already has) and
// the down plan on the current side's scratch database; records what does not hold.
void validate(Database& db, const DiffOptions& o, const Plan& changes, const Catalog& renamed_current_as_is, DiffOutcome& out) {
  const PlanOptions offline{false};
  // The down plan restores the current schema as a copy can hold it: an INVALID
  // index the plan rebuilds comes back valid.
  const Catalog renamed_current = catalog::with_indexes_valid(renamed_current_as_is);
  const Catalog current = catalog::with_indexes_valid(out.current);
  try {
    run_plan(db, {changes.transactional, {}});
    const Catalog middle = changes.separate.empty() ? Catalog{} : catalog::read_catalog(db, o.history);
    run_plan(db, {{}, changes.separate});
    const Catalog result = catalog::read_catalog(db, o.history);
    note(out.remaining, "after the plan, the schema still differs from the desired one:", catalog::catalog_difference(out.desired, result));
    note(out.remaining, "a second diff is not empty:", plan_lines(plan_changes(result, out.desired)));
    if (!changes.separate.empty()) {
      out.down_separate = plan_changes(result, middle, offline);
      out.down = plan_changes(middle, renamed_current, offline);
    } else {
      out.down = plan_changes(result, renamed_current, offline);
    }
    append(out.down, rename_steps(out.renames, true));
    run_plan(db, out.down_separate);
    run_plan(db, out.down);
    note(out.remaining, "the down plan does not restore the current schema:",
         catalog::catalog_difference(current, catalog::read_catalog(db, o.history)));
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    out.remaining.push_back(std::string("replaying the plan on a copy of the current schema failed: ") + e.what());
  }
  out.validated = true;
  out.converged = out.remaining.empty();
}

// The DSN's database copied into `scratch` from its own catalog model (one
// batch, no child process); pg_dump/pg_restore when the model cannot rebuild
// it exactly (an object kind it does not cover, say). Returns the live
// catalog, or nullopt when the copy is not exact and pg_dump must make it.
std::optional<Catalog> copy_live_database(Database& admin, const DiffOptions& o, const std::string& scratch) {
  PhaseClock clock;
  Catalog live = catalog::read_catalog(admin, o.history, live_read_bounds(o));
  const Plan rebuild = plan_changes(Catalog{}, live, PlanOptions{false});
  clock.mark("live database read");
  bool exact = false;
  try {
    auto db = connect_to(o, scratch);
    run_plan(*db, rebuild);
    clock.mark("rebuilt in the scratch database");
    const auto difference = catalog::catalog_difference(catalog::with_indexes_valid(live), catalog::read_catalog(*db, o.history));
    clock.mark("rebuild checked");
    exact = difference.empty();
    if (!exact) log::info("the catalog model cannot rebuild the database exactly (", difference.front(), "); copying it with pg_dump");
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    log::info("rebuilding the live database from its catalog model failed (", server_message_line(e.what()),
              "); copying it with pg_dump instead");
  }
  if (!exact) return std::nullopt;
  return live;
}

}  // namespace

catalog::ReadBounds live_read_bounds(const DiffOptions& o) {
  return {o.timeouts.lock_timeout, o.timeouts.statement_timeout.value_or(std::chrono::minutes(10))};
}

void run_plan(Database& db, const Plan& plan) {
  if (!plan.transactional.empty()) {
    // One round trip: BEGIN, every statement, COMMIT. The server stops at the first failure.
    std::string batch = "BEGIN;\n";
    for (const Step& s : plan.transactional) batch += s.sql + ";\n";
    batch += "COMMIT";
    try {
      db.query(batch);
    } catch (const Error& e) {
      if (db.in_transaction()) {
        try {
          db.query("ROLLBACK");
        } catch (const Error& rollback) {
          log::warn("ROLLBACK after a failed plan failed too: ", server_message_line(rollback.what()));
          if (rollback.code() == ExitCode::database_unreachable) throw rollback;
        }
      }
      if (e.code() == ExitCode::database_unreachable) throw;
      const int failed = e.failed_statement().value_or(0) - 1;
      const std::string in = failed >= 0 && failed < static_cast<int>(plan.transactional.size())
                                 ? "\n  in: " + plan.transactional[static_cast<std::size_t>(failed)].sql : "";
      Error failure(ExitCode::migration_failed, "plan_failed", server_message_line(e.what()) + in);
      if (e.sqlstate()) failure.with_sqlstate(*e.sqlstate());
      throw failure;
    }
  }
  for (const Step& s : plan.separate) run_statement(db, s);
}

DiffOutcome compute_diff(Database& admin, const DiffOptions& o, const std::vector<SchemaFile>& schema) {
  PhaseClock clock;
  drop_abandoned_scratch_databases(admin);
  remove_abandoned_dump_files();
  DiffOutcome out;
  // The desired side is built on a thread of its own (its own connections):
  // both sides spend most of their time waiting on the server.
  std::future<Catalog> desired = std::async(std::launch::async, [&o, &schema] {
    auto desired_admin = Database::connect(o.dsn, "mig-diff");
    const SandboxRole role(*desired_admin);  // declared first: dropped after the database it owns
    ScratchDatabase desired_db(*desired_admin, std::string("template0"), role.name());
    auto owner = connect_to(o, desired_db.name());
    auto sandbox = connect_as_sandbox(role, dsn_with_dbname(o.dsn, desired_db.name()));
    apply_schema_files(*sandbox, *owner, schema);
    return catalog::read_catalog(*owner, o.history);
  });
  std::optional<ScratchDatabase> current_db(std::in_place, admin, std::string("template0"));
  clock.mark("current scratch database created");
  try {
    if (!o.against_db) {
      out.current = build_from_migrations(o, current_db->name());
    } else {
      if (auto live = copy_live_database(admin, o, current_db->name())) {
        out.current = std::move(*live);
      } else {  // starts over in a fresh scratch database
        current_db.emplace(admin, std::string("template0"));
        copy_with_pg_dump(admin, o, current_db->name());
        out.current = catalog::read_catalog(admin, o.history);
      }
    }
    clock.mark("current side built and read");
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

Catalog migrations_catalog(Database& admin, const DiffOptions& o) {
  drop_abandoned_scratch_databases(admin);
  ScratchDatabase scratch(admin, std::string("template0"));
  return build_from_migrations(o, scratch.name());
}

}  // namespace mig::diff
