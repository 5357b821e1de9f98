// mig-status: compare the migration files with the history table.
#include <future>
#include <tuple>
#include <sstream>

#include "cli/cli.hpp"
#include "base/colour.hpp"
#include "pg/db.hpp"
#include "engine/backfill.hpp"
#include "pg/invalid_indexes.hpp"
#include "engine/migration_choice.hpp"
#include "engine/migration_set.hpp"
#include "engine/status.hpp"

namespace {

using nlohmann::json;

json items(const std::vector<const mig::Migration*>& migrations) {
  json out = json::array();
  for (const auto* m : migrations) out.push_back({{"version", m->version}, {"name", m->name}, {"checksum", m->up.checksum}});
  return out;
}

// Applied rows are the long list: version, name, batch and time are enough there.
// Built field by field: brace-initialised objects cost three times the allocations.
json applied_items(const std::vector<const mig::HistoryRow*>& rows) {
  json out = json::array();
  out.get_ref<json::array_t&>().reserve(rows.size());
  for (const auto* r : rows) {
    json& item = out.emplace_back(json::object());
    item["version"] = r->version;
    item["name"] = r->name;
    item["batch"] = r->batch;
    item["applied_at"] = r->applied_at;
  }
  return out;
}

json items(const std::vector<mig::HistoryRow>& rows) {
  json out = json::array();
  for (const auto& r : rows) {
    json item = {{"version", r.version},       {"name", r.name},   {"checksum", r.checksum},
                 {"applied_at", r.applied_at}, {"batch", r.batch}, {"execution_ms", r.execution_ms},
                 {"applied_by", r.applied_by}, {"status", r.status}};
    if (r.backup_id) item["backup_id"] = *r.backup_id;
    if (r.error) item["error"] = *r.error;
    if (r.statements_done) item["statements_done"] = *r.statements_done;
    out.push_back(item);
  }
  return out;
}

// Running backfills with their progress (a few reads, only when there are some).
json backfills(mig::Database& db, const mig::MigrationSet& set, const mig::MigrationStatus& s) {
  json out = json::array();
  for (const mig::HistoryRow* row : s.running) {
    for (const mig::Migration& m : set.migrations) {
      if (m.version == row->version) out.push_back(mig::backfill_progress(db, m, *row));
    }
  }
  return out;
}

// Every repeatable file with its state, then the recorded ones whose file is gone.
json repeatable_items(const mig::MigrationStatus& s) {
  json out = json::array();
  for (const auto& r : s.repeatables) {
    json item = {{"name", r.file->name}, {"file", r.file->up.path}, {"state", r.state}, {"checksum", r.file->up.checksum}};
    if (r.recorded_checksum) item["recorded_checksum"] = *r.recorded_checksum;
    out.push_back(item);
  }
  for (const auto& row : s.repeatables_gone) {
    out.push_back({{"name", row.name}, {"state", "removed"}, {"recorded_checksum", row.checksum}});
  }
  return out;
}

// On a database with no history, mig-apply starts from the newest checkpoint:
// which one, and how many files before it are recorded instead of run (null when none).
json checkpoint_start(const mig::MigrationStatus& s) {
  const auto start = mig::from_newest_checkpoint(s, s.pending);
  if (start == s.pending.begin() || start == s.pending.end()) return nullptr;
  return {{"version", (*start)->version}, {"name", (*start)->name}, {"skips", start - s.pending.begin()}};
}

json status_data(const mig::MigrationStatus& s, const std::vector<mig::InvalidIndex>& invalid) {
  json invalid_items = json::array();
  for (const auto& i : invalid) invalid_items.push_back({{"index", i.index}, {"table", i.table}});
  json changed = json::array();
  for (const auto& c : s.changed) {
    changed.push_back({{"version", c.version}, {"name", c.name}, {"file_checksum", c.file_checksum},
                       {"recorded_checksum", c.recorded_checksum}});
  }
  return {{"current_version", s.current_version ? json(*s.current_version) : json(nullptr)},
          {"applied", applied_items(s.applied)},
          {"pending", items(s.pending)},
          {"changed", changed},
          {"missing", items(s.missing)},
          {"failed", items(s.failed)},
          {"out_of_order", items(s.out_of_order)},
          {"repeatable", repeatable_items(s)},
          {"starts_from_checkpoint", checkpoint_start(s)},
          {"invalid_indexes", invalid_items},
          {"ready", s.ready() && invalid.empty()}};
}

// The contract's readiness verdict: failed 7, edited/missing 3, pending 1.
std::optional<mig::Error> check_verdict(const mig::MigrationStatus& s, const std::vector<mig::InvalidIndex>& invalid) {
  try {
    mig::require_consistent(s);
  } catch (const mig::Error& e) {
    return e;
  }
  if (!s.pending.empty()) {
    return mig::Error(mig::ExitCode::check_failed, "pending_migrations",
                      std::to_string(s.pending.size()) + " migration(s) pending, first " + s.pending.front()->version +
                          "_" + s.pending.front()->name);
  }
  if (!s.repeatables_due.empty()) {
    return mig::Error(mig::ExitCode::check_failed, "pending_migrations",
                      std::to_string(s.repeatables_due.size()) + " repeatable migration(s) new or changed, first " +
                          s.repeatables_due.front()->label());
  }
  if (!invalid.empty()) {
    return mig::Error(mig::ExitCode::check_failed, "invalid_index",
                      "INVALID index(es) left by a failed CREATE INDEX CONCURRENTLY: " + mig::describe(invalid) +
                          "; drop and build them again (DROP INDEX CONCURRENTLY, then CREATE INDEX CONCURRENTLY)");
  }
  return std::nullopt;
}

void add_row(std::ostringstream& out, const std::string& state, const std::string& version, const std::string& name,
             const std::string& detail) {
  const mig::colour::Tone tone = state == "applied"   ? mig::colour::Tone::good
                                 : state == "pending" ? mig::colour::Tone::warn
                                                      : mig::colour::Tone::bad;
  out << "  " << mig::colour::paint(state, tone, mig::colour::for_stdout())
      << std::string(state.size() < 9 ? 9 - state.size() : 1, ' ') << version << "  " << name;
  if (!detail.empty()) out << "  (" << detail << ")";
  out << '\n';
}

std::string render(const json& d, mig::Format) {
  std::ostringstream out;
  out << "current version: " << (d["current_version"].is_null() ? "none" : d["current_version"].get<std::string>())
      << '\n';
  for (const auto& r : d["applied"]) add_row(out, "applied", r["version"], r["name"], r["applied_at"]);
  for (const auto& r : d["changed"]) add_row(out, "EDITED", r["version"], r["name"], "file differs from applied");
  for (const auto& r : d["missing"]) add_row(out, "MISSING", r["version"], r["name"], "file gone");
  for (const auto& r : d["failed"]) add_row(out, "FAILED", r["version"], r["name"], r.value("error", ""));
  for (const auto& r : d["pending"]) add_row(out, "pending", r["version"], r["name"], "");
  if (d.contains("starts_from_checkpoint") && !d["starts_from_checkpoint"].is_null()) {
    const json& c = d["starts_from_checkpoint"];
    out << "  (no history yet: mig-apply starts from checkpoint " << mig::migration_label(c) << " and records the "
        << c["skips"] << " file(s) before it without running them)\n";
  }
  for (const auto& r : d["repeatable"]) {
    const std::string state = r["state"];
    add_row(out, state == "unchanged" ? "applied" : state == "removed" ? "removed" : "pending", "repeatable",
            r["name"].get<std::string>(), state == "unchanged" ? "" : state);
  }
  for (const auto& b : d.value("backfills", json::array())) {
    out << "  backfill " << b["version"].get<std::string>() << "_" << b["name"].get<std::string>() << ": " << b["rows"] << " rows done";
    if (b.contains("rows_per_second")) {
      out << (b["estimated_rows_left"].is_null() ? std::string(", rows left unknown") : ", ~" + b["estimated_rows_left"].dump() + " left")
          << ", " << b["rows_per_second"] << " rows/s";
    }
    if (b.contains("eta_seconds") && !b["eta_seconds"].is_null()) out << ", ETA " << b["eta_seconds"] << " s";
    out << '\n';
  }
  for (const auto& i : d["invalid_indexes"]) {
    out << "  " << mig::colour::paint("INVALID", mig::colour::Tone::bad, mig::colour::for_stdout()) << "  index " << i["index"].get<std::string>() << " on " << i["table"].get<std::string>() << '\n';
  }
  const bool ready = d["ready"].get<bool>();
  out << "ready: "
      << mig::colour::paint(ready ? "yes" : "no", ready ? mig::colour::Tone::good : mig::colour::Tone::bad,
                            mig::colour::for_stdout())
      << '\n';
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  mig::ToolSpec spec{"mig-status", "Compare the migration files with the history table.", "[options]"};
  spec.epilog =
      "Read-only: never creates the history table; a missing table means nothing applied.\n"
      "--check exit codes: 0 ready, 1 pending (a migration, a repeatable one new or changed, or an INVALID\n"
      "index left by a failed CREATE INDEX CONCURRENTLY), 3 edited/missing/invalid set, 7 failed,\n"
      "4 unreachable.";
  return mig::run_tool(
      argc, argv, spec,
      [](cxxopts::Options& o) {
        o.add_options()("check", "exit non-zero unless the database is fully migrated and consistent "
                                 "(repeatable migrations included)");
      },
      [](mig::ToolRun& run) {
        // Read-only, so the connection and the folder can be read side by side.
        auto session = std::async(std::launch::async, [&run] {
          auto db = run.connect();
          mig::QueryResult invalid_rows;  // read with the history, in its round trip
          auto rows = mig::History(*db, run.config.table).read_with(mig::invalid_indexes_sql(), &invalid_rows);
          auto invalid = mig::invalid_indexes_from(invalid_rows);
          return std::make_tuple(std::move(db), std::move(rows), std::move(invalid));
        });
        const mig::MigrationSet set = mig::load_migration_set(run.config.dir);
        auto [db, rows, invalid] = session.get();
        run.close_after_output = std::move(db);
        const mig::MigrationStatus status = mig::compare_with_history(set, std::move(rows));
        run.data = status_data(status, invalid);
        run.data["backfills"] = backfills(*run.close_after_output, set, status);
        if (run.args.count("check")) run.finding = check_verdict(status, invalid);
      },
      render);
}
