#include "diff/validation.hpp"

#include <optional>

#include "base/errors.hpp"
#include "base/log.hpp"
#include "diff/phase_clock.hpp"
#include "diff/renames.hpp"
#include "diff/session.hpp"
#include "engine/transaction_batch.hpp"
#include "pg/db.hpp"

namespace mig::diff {
namespace {

using catalog::Catalog;

// What a down is held to: the current schema, with every index valid and
// extensions at whatever version the plan left them (catalog::Comparison).
const catalog::Comparison kAsTheDownRestoresIt{false, false};

bool has_invalid_index(const Catalog& catalog) {
  for (const auto& [key, object] : catalog.objects) {
    if (object.kind == "index" && object.fields.contains("invalid")) return true;
  }
  return false;
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

}  // namespace

// Replays `changes` (the plan without its renames, which `db` already has) and
// the down plan on the current side's scratch database; records what does not hold.
void validate(Database& db, const DiffOptions& o, const Plan& changes, const Catalog& renamed_current_as_is, DiffOutcome& out,
              Replay replay) {
  const PlanOptions offline{false};
  // The down plan restores the current schema as a copy can hold it: an INVALID
  // index the plan rebuilds comes back valid (a copy is made only when there is one).
  std::optional<Catalog> valid_copy;
  if (has_invalid_index(renamed_current_as_is)) valid_copy = catalog::with_indexes_valid(renamed_current_as_is);
  const Catalog& renamed_current = valid_copy ? *valid_copy : renamed_current_as_is;
  PhaseClock clock;
  try {
    // Enum values the plan uses commit first; the state after them is where the main down ends.
    run_plan(db, {{}, {}, changes.before}, replay);
    const Catalog values_added = changes.before.empty() ? renamed_current : catalog::read_catalog(db, o.history);
    run_plan(db, {changes.transactional, {}}, replay);
    const Catalog middle = changes.separate.empty() ? Catalog{} : catalog::read_catalog(db, o.history);
    run_plan(db, {{}, changes.separate}, replay);
    clock.mark("replay: plan run");
    const Catalog result = catalog::read_catalog(db, o.history);
    clock.mark("replay: result read");
    note(out.remaining, "after the plan, the schema still differs from the desired one:", catalog::catalog_difference(out.desired, result));
    note(out.remaining, "a second diff is not empty:", plan_lines(plan_changes(result, out.desired)));
    if (!changes.separate.empty()) {
      out.down_separate = plan_changes(result, middle, offline);
      out.down = plan_changes(middle, values_added, offline);
    } else {
      out.down = plan_changes(result, values_added, offline);
    }
    if (!changes.before.empty()) out.down_before = plan_changes(values_added, renamed_current, offline);
    append(changes.before.empty() ? out.down : out.down_before, rename_steps(out.renames, true));
    clock.mark("replay: compared and down planned");
    run_plan(db, out.down_separate, replay);
    run_plan(db, out.down, replay);
    run_plan(db, out.down_before, replay);
    clock.mark("replay: down run");
    note(out.remaining, "the down plan does not restore the current schema:",
         catalog::catalog_difference(out.current, catalog::read_catalog(db, o.history), kAsTheDownRestoresIt));
    clock.mark("replay: down checked");
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    out.remaining.push_back(std::string("replaying the plan on a copy of the current schema failed: ") + e.what());
  }
  out.validated = true;
  out.converged = out.remaining.empty();
}

namespace {

Error step_failed(const Error& cause, const std::string& sql) {
  Error failure(ExitCode::migration_failed, "plan_failed", server_message_line(cause.what()) + (sql.empty() ? "" : "\n  in: " + sql));
  if (cause.sqlstate()) failure.with_sqlstate(*cause.sqlstate());
  return failure;
}

void run_statement(Database& db, const Step& step) {
  try {
    db.query(step.sql);
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    throw step_failed(e, step.sql);
  }
}

// Every step in one query inside the caller's open transaction; the server
// stops at the first failure and the transaction stays aborted for the caller
// to roll back.
void run_in_open_transaction(Database& db, const Plan& plan) {
  if (!plan.before.empty()) throw std::logic_error("a plan that commits enum values first cannot be replayed in one transaction");
  std::vector<const Step*> steps;
  for (const auto* part : {&plan.transactional, &plan.separate}) {
    for (const Step& s : *part) steps.push_back(&s);
  }
  if (steps.empty()) return;
  MigrationScript script;
  for (const Step* s : steps) script.add_generated(s->in_transaction_sql());
  try {
    db.query(script.sql());
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    const auto at = e.failed_statement();
    throw step_failed(e, at && *at < static_cast<int>(steps.size()) ? steps[static_cast<std::size_t>(*at)]->sql : "");
  }
}

}  // namespace

void run_plan(Database& db, const Plan& plan, Replay replay) {
  if (replay == Replay::rolled_back) return run_in_open_transaction(db, plan);
  for (const Step& s : plan.before) run_statement(db, s);  // each commits on its own
  if (!plan.transactional.empty()) {
    // One round trip: BEGIN, every statement, COMMIT. The server stops at the first failure.
    TransactionBatch batch;
    for (const Step& s : plan.transactional) batch.script().add_generated(s.sql);
    batch.commit(db, [&](const BatchFailure& f) {
      return step_failed(f.cause, f.statement && *f.statement < static_cast<int>(plan.transactional.size())
                                      ? plan.transactional[static_cast<std::size_t>(*f.statement)].sql : "");
    });
  }
  for (const Step& s : plan.separate) run_statement(db, s);
}

}  // namespace mig::diff
