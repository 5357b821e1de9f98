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

void validate(Database& db, const DiffOptions& o, const Plan& changes, const catalog::Catalog& renamed_current_as_is,
              DiffOutcome& out);

}  // namespace mig::diff
