// The proof of a plan: replayed on the current side's scratch database, the
// result must equal the desired schema, a second diff must be empty, and the down
// plan must bring the current schema back. What does not hold goes to out.remaining.
#pragma once
#include "catalog/catalog.hpp"
#include "diff/plan.hpp"

namespace mig {
class Database;
}

namespace mig::diff {

struct DiffOptions;
struct DiffOutcome;

// How a replay runs a plan: `committed` as mig-apply would (a scratch copy of
// the current side, thrown away after), or `rolled_back`: everything inside the
// caller's open transaction, which the caller rolls back (the side cache's own
// database, so nothing is copied). A rolled-back replay runs a step that
// cannot be inside a transaction as its Step::in_transaction form and cannot
// replay Plan::before (values that must commit before they are used).
enum class Replay { committed, rolled_back };

void validate(Database& db, const DiffOptions& o, const Plan& changes, const catalog::Catalog& renamed_current_as_is,
              DiffOutcome& out, Replay replay);

// Runs `plan` on `db`: committed, its transactional part in one transaction,
// then each separate statement on its own; rolled back, all of it in the open
// transaction. A failure is exit 5 naming the statement.
void run_plan(Database& db, const Plan& plan, Replay replay = Replay::committed);

}  // namespace mig::diff
