#include "diff/session.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "backup/pg_tools.hpp"
#include "db.hpp"
#include "errors.hpp"
#include "log.hpp"
#include "migration_set.hpp"
#include "process.hpp"
#include "scratch_database.hpp"

namespace mig::diff {
namespace {

using catalog::Catalog;

std::unique_ptr<Database> connect_to(const DiffOptions& o, const std::string& dbname) {
  return Database::connect(dsn_with_dbname(o.dsn, dbname), "mig-diff");
}

void run_statement(Database& db, const Step& step) {
  try {
    db.query(step.sql);
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    throw Error(ExitCode::migration_failed, "plan_failed", server_message_line(e.what()) + "\n  in: " + step.sql);
  }
}

// The DSN's database, schema only, restored into `scratch` (pg_dump, pg_restore).
void copy_live_schema(Database& admin, const DiffOptions& o, const std::string& scratch) {
  const PgTools tools = find_pg_tools(admin.server_version(), o.pg_bin);
  char path[] = "/tmp/mig-diff-XXXXXX";
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

void build_current(Database& admin, const DiffOptions& o, const std::string& scratch) {
  if (o.against_db) return copy_live_schema(admin, o, scratch);
  const MigrationSet set = load_migration_set(o.migrations_dir);
  auto db = connect_to(o, scratch);
  const std::string dsn = dsn_with_dbname(o.dsn, scratch);
  MigratorContext ctx{*db, o.history, o.timeouts, [dsn] { return Database::connect(dsn, "mig-diff-watch"); }, nullptr};
  ApplyOptions all;
  migrate(ctx, set, all);
}

Catalog read(const DiffOptions& o, const std::string& dbname) {
  auto db = connect_to(o, dbname);
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

// Replays up and down on a copy of the current side; records what does not hold.
void validate(Database& admin, const DiffOptions& o, const std::string& current_db, const Catalog& renamed_current,
              DiffOutcome& out) {
  ScratchDatabase copy(admin, current_db);
  auto db = connect_to(o, copy.name());
  const PlanOptions offline{false};
  try {
    run_plan(*db, {out.up.transactional, {}});
    const Catalog middle = out.up.separate.empty() ? Catalog{} : catalog::read_catalog(*db, o.history);
    run_plan(*db, {{}, out.up.separate});
    const Catalog result = catalog::read_catalog(*db, o.history);
    note(out.remaining, "after the plan, the schema still differs from the desired one:", catalog::catalog_difference(out.desired, result));
    note(out.remaining, "a second diff is not empty:", plan_lines(plan_changes(result, out.desired)));
    if (!out.up.separate.empty()) {
      out.down_separate = plan_changes(result, middle, offline);
      out.down = plan_changes(middle, renamed_current, offline);
    } else {
      out.down = plan_changes(result, renamed_current, offline);
    }
    append(out.down, rename_steps(out.renames, true));
    run_plan(*db, out.down_separate);
    run_plan(*db, out.down);
    note(out.remaining, "the down plan does not restore the current schema:",
         catalog::catalog_difference(out.current, catalog::read_catalog(*db, o.history)));
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    out.remaining.push_back(std::string("replaying the plan on a copy of the current schema failed: ") + e.what());
  }
  out.validated = true;
  out.converged = out.remaining.empty();
}

}  // namespace

void run_plan(Database& db, const Plan& plan) {
  if (!plan.transactional.empty()) {
    db.query("BEGIN");
    try {
      for (const Step& s : plan.transactional) run_statement(db, s);
      db.query("COMMIT");
    } catch (...) {
      if (db.in_transaction()) {
        try {
          db.query("ROLLBACK");
        } catch (const Error&) {
        }
      }
      throw;
    }
  }
  for (const Step& s : plan.separate) run_statement(db, s);
}

DiffOutcome compute_diff(Database& admin, const DiffOptions& o, const std::vector<SchemaFile>& schema) {
  drop_abandoned_scratch_databases(admin);
  DiffOutcome out;
  ScratchDatabase desired_db(admin, std::string("template0"));
  {
    auto db = connect_to(o, desired_db.name());
    apply_schema_files(*db, schema);
    out.desired = catalog::read_catalog(*db, o.history);
  }
  ScratchDatabase current_db(admin, std::string("template0"));
  build_current(admin, o, current_db.name());
  out.current = read(o, current_db.name());

  Catalog renamed_current = out.current;
  const std::vector<Rename> wanted = find_renames(schema);
  std::optional<ScratchDatabase> renamed_db;
  if (!wanted.empty()) {
    renamed_db.emplace(admin, current_db.name());
    auto db = connect_to(o, renamed_db->name());
    out.renames = apply_renames(*db, wanted);
    if (!out.renames.empty()) renamed_current = catalog::read_catalog(*db, o.history);
  }
  out.up = plan_changes(renamed_current, out.desired);
  prepend(out.up, rename_steps(out.renames, false));
  if (o.validate && out.different()) {
    validate(admin, o, current_db.name(), renamed_current, out);
  } else {
    out.converged = !out.different();
  }
  return out;
}

}  // namespace mig::diff
