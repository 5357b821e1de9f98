// Rehearses pending migrations against the real database inside one
// transaction that is always rolled back, tracing per statement the locks it
// took on relations that already existed, table rewrites and constraints
// validated on the spot. COMMIT is never sent.
#pragma once
#include <nlohmann/json.hpp>

#include "base/errors.hpp"
#include "engine/migrator.hpp"

namespace mig {

struct MigrationSet;

// Returns data for the result document: {"migrations": [...], "rolled_back": true}.
// A failing migration is named in `failure` (exit 5 / 6); the data is kept.
struct RehearsalResult {
  nlohmann::json data;
  std::optional<Error> failure;
};

RehearsalResult rehearse(MigratorContext& ctx, const MigrationSet& set, bool allow_out_of_order);

}  // namespace mig
