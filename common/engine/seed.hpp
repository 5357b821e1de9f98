// mig-seed: load seeds/*.sql in name order, each in a transaction together
// with its row in seed_history (name, checksum); an applied seed runs again
// only when its file changed and --rerun-changed says so.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "engine/migrator.hpp"

namespace mig {

struct SeedOptions {
  std::string dir = "seeds";
  bool rerun_changed = false;
};

// Returns {"seeded": [...], "unchanged": [...], "changed_skipped": [...]}.
// Throws mig::Error: exit 3 for an unreadable folder or file, exit 5 when a seed fails (rolled back).
nlohmann::json apply_seeds(MigratorContext& ctx, const SeedOptions& options);

}  // namespace mig
