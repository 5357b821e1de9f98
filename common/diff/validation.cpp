#include "diff/validation.hpp"

#include "base/errors.hpp"
#include "base/log.hpp"
#include "diff/renames.hpp"
#include "diff/session.hpp"
#include "engine/transaction_batch.hpp"
#include "pg/db.hpp"

namespace mig::diff {
namespace {

using catalog::Catalog;

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
void validate(Database& db, const DiffOptions& o, const Plan& changes, const Catalog& renamed_current_as_is, DiffOutcome& out) {
  const PlanOptions offline{false};
  // The down plan restores the current schema as a copy can hold it: an INVALID
  // index the plan rebuilds comes back valid.
  const Catalog renamed_current = catalog::with_indexes_valid(renamed_current_as_is);
  const Catalog current = catalog::with_indexes_valid(out.current);
  try {
    // Enum values the plan uses commit first; the state after them is where the main down ends.
    run_plan(db, {{}, {}, changes.before});
    const Catalog values_added = changes.before.empty() ? renamed_current : catalog::read_catalog(db, o.history);
    run_plan(db, {changes.transactional, {}});
    const Catalog middle = changes.separate.empty() ? Catalog{} : catalog::read_catalog(db, o.history);
    run_plan(db, {{}, changes.separate});
    const Catalog result = catalog::read_catalog(db, o.history);
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
    run_plan(db, out.down_separate);
    run_plan(db, out.down);
    run_plan(db, out.down_before);
    note(out.remaining, "the down plan does not restore the current schema:",
         catalog::catalog_difference(catalog::without_extension_versions(current),
                                     catalog::without_extension_versions(catalog::read_catalog(db, o.history))));
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    out.remaining.push_back(std::string("replaying the plan on a copy of the current schema failed: ") + e.what());
  }
  out.validated = true;
  out.converged = out.remaining.empty();
}

void run_plan(Database& db, const Plan& plan) {
  for (const Step& s : plan.before) run_statement(db, s);  // each commits on its own
  if (!plan.transactional.empty()) {
    // One round trip: BEGIN, every statement, COMMIT. The server stops at the first failure.
    TransactionBatch batch;
    for (const Step& s : plan.transactional) batch.script().add_generated(s.sql);
    batch.commit(db, [&](const BatchFailure& f) {
      const std::string in = f.statement && *f.statement < static_cast<int>(plan.transactional.size())
                                 ? "\n  in: " + plan.transactional[static_cast<std::size_t>(*f.statement)].sql : "";
      Error failure(ExitCode::migration_failed, "plan_failed", server_message_line(f.cause.what()) + in);
      if (f.cause.sqlstate()) failure.with_sqlstate(*f.cause.sqlstate());
      return failure;
    });
  }
  for (const Step& s : plan.separate) run_statement(db, s);
}

}  // namespace mig::diff
