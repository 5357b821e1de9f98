// mig-new --checkpoint: one migration that creates the whole schema the
// migrations produce (the mig-diff --dump --from-migrations text), marked
// -- mig:checkpoint, so an empty database starts from it instead of replaying
// every file before it.
#pragma once
#include <string>
#include <vector>

#include "diff/session.hpp"
#include "engine/migration_set.hpp"

namespace mig::diff {

// A statement before the checkpoint that writes rows: the checkpoint holds the
// schema only, so an empty database started from it will not have those rows.
struct RowsLeftOut {
  std::string file;
  int line = 0;
};

struct Checkpoint {
  std::string text;     // the up file, directive first
  std::size_t objects = 0;
  std::string covers_through;  // the newest version it stands for
  std::size_t covers = 0;      // how many files
  std::vector<RowsLeftOut> rows_left_out;
};

// Builds the versioned migrations (not the repeatable ones: they run after it)
// in a scratch database on `admin`'s server and dumps
// that schema. Exit 3 when the folder is empty, or holds objects the dump cannot
// write (nothing is written then).
Checkpoint make_checkpoint(Database& admin, DiffOptions options, const MigrationSet& set);

// Statements of `set`'s up files that write rows, after its newest checkpoint.
std::vector<RowsLeftOut> row_changes(const MigrationSet& set);

}  // namespace mig::diff
