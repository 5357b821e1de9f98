// Declared renames (-- mig:renamed-from in schema/): applied to the current side
// before planning, and written as the first steps of the plan (and the last of its down).
#pragma once
#include <vector>

#include "diff/plan.hpp"
#include "diff/schema_dir.hpp"

namespace mig {
class Database;
}

namespace mig::diff {

// Applies the renames `db` still needs; returns them.
std::vector<Rename> apply_renames(Database& db, const std::vector<Rename>& wanted);
// The renames as plan steps; `reverse` for the down plan (columns back first).
std::vector<Step> rename_steps(const std::vector<Rename>& renames, bool reverse);

}  // namespace mig::diff
