#include "import/js_baseline.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "base/errors.hpp"
#include "catalog/catalog.hpp"
#include "diff/schema_dump.hpp"
#include "engine/migrator.hpp"
#include "engine/transaction_batch.hpp"
#include "pg/db.hpp"
#include "pg/history.hpp"
#include "pg/lock.hpp"
#include "text/source_text.hpp"

using nlohmann::json;

namespace mig::importing {
namespace {

// The tool's own tables, which the baseline must not create.
std::vector<std::string> tool_tables(SourceFormat format) {
  if (format == SourceFormat::knex) return {"knex_migrations", "knex_migrations_lock"};
  return {"SequelizeMeta"};
}

std::string history_table(SourceFormat format) { return format == SourceFormat::knex ? "knex_migrations" : "\"SequelizeMeta\""; }

// "20240131120000_create_users.js" -> "20240131120000"
std::string leading_digits(const std::string& name) {
  std::size_t n = 0;
  while (n < name.size() && n < 20 && std::isdigit(static_cast<unsigned char>(name[n]))) ++n;
  return n > 0 && n < name.size() && (name[n] == '_' || name[n] == '-') ? name.substr(0, n) : "";
}

// Drops the tool's tables and everything that belongs to or depends on them
// (columns, their sequences, indexes, constraints, comments).
catalog::Catalog without_tool_tables(catalog::Catalog schema, SourceFormat format) {
  std::set<std::string> gone;
  for (const auto& [key, o] : schema.objects) {
    for (const std::string& table : tool_tables(format)) {
      const std::string bare = o.name.substr(o.name.find('.') + 1);
      const bool named = bare == table || bare == "\"" + table + "\"";
      const bool its_sequence = o.kind == "sequence" && bare.rfind(table + "_", 0) == 0 && bare.size() > 4 &&
                                bare.compare(bare.size() - 4, 4, "_seq") == 0;
      if ((o.kind == "table" && named) || its_sequence) gone.insert(key);
    }
  }
  for (bool more = true; more;) {
    more = false;
    for (const auto& [key, o] : schema.objects) {
      if (gone.count(key)) continue;
      bool follows = gone.count(o.parent) > 0;
      for (const auto& d : o.depends) follows = follows || gone.count(d) > 0;
      if (follows) more = gone.insert(key).second || more;
    }
  }
  for (const auto& key : gone) schema.objects.erase(key);
  return schema;
}

}  // namespace

JsHistory read_js_history(Database& db, SourceFormat format) {
  JsHistory h{history_table(format), {}, ""};
  if (db.query("SELECT to_regclass(" + db.literal(h.table) + ") IS NOT NULL").scalar() != std::string("t")) {
    throw invalid_input("source_history_missing", h.table + " is not in this database: there is nothing to baseline from");
  }
  if (format == SourceFormat::knex &&
      db.query("SELECT to_regclass('knex_migrations_lock') IS NOT NULL AND EXISTS (SELECT FROM knex_migrations_lock WHERE is_locked = 1)")
              .scalar() == std::string("t")) {
    throw Error(ExitCode::needs_repair, "source_history_locked",
                "knex_migrations_lock is held: a Knex migration is running or died; `knex migrate:unlock` once it is not "
                "(nothing was written)");
  }
  const std::string order = format == SourceFormat::knex ? " ORDER BY id" : " ORDER BY name";
  for (const Row& r : db.query("SELECT name FROM " + h.table + order).rows) h.names.push_back(r[0].value_or(""));
  if (h.names.empty()) throw invalid_input("source_history_empty", h.table + " is empty: there is nothing to baseline from");
  h.version = leading_digits(h.names.back());
  if (h.version.empty()) {
    throw invalid_input("cannot_import", h.table + ": the newest migration " + h.names.back() +
                                             " has no version (digits before '_' or '-') for the baseline to take");
  }
  return h;
}

Baseline baseline_of(MigratorContext& ctx, SourceFormat format, const JsHistory& history, const std::string& dir) {
  const catalog::Catalog live = without_tool_tables(catalog::read_catalog(ctx.db, ctx.table), format);
  const std::string title = "baseline by mig-import: the live schema " + format_name(format) + "'s " +
                            std::to_string(history.names.size()) + " migrations built, through " + history.names.back();
  const diff::SchemaDump dumped = diff::schema_dump(live, title, true);
  const std::string name = "baseline_from_" + format_name(format);
  return {history.version, name, dir + "/" + history.version + "_" + name + ".up.sql", dumped.sql};
}

json record_baseline(MigratorContext& ctx, SourceFormat format, const JsHistory& history, const Baseline& baseline) {
  History mig_history(ctx.db, ctx.table);
  MigrationLock lock(ctx.db, ctx.table, ctx.session_pooler);
  lock.acquire(ctx.timeouts.lock_wait);
  mig_history.create();
  const auto rows = mig_history.read();
  if (!rows.empty()) {
    throw Error(ExitCode::needs_repair, "history_conflict",
                mig_history.qualified_name() + " already has " + std::to_string(rows.size()) +
                    " row(s): a baseline adopts a database mig has not migrated (nothing was written)");
  }
  TransactionBatch transaction;
  transaction.script().add_statement(mig_history.record_imported_sql(
      {baseline.version, baseline.name, sha256_checksum(baseline.text)}, 1, "", 0, format_name(format)));
  transaction.commit(ctx.db, [&](const BatchFailure& f) {
    return Error(ExitCode::migration_failed, "import_failed",
                 "recording the baseline failed (nothing recorded): " + server_message_line(f.cause.what()));
  });
  lock.release();
  return {{"source_table", history.table}, {"recorded", json::array({baseline.version})}, {"already", json::array()},
          {"pending", json::array()}, {"stands_for", history.names}};
}

}  // namespace mig::importing
