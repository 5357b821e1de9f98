// Which migrations a run applies or reverts, from the files compared with the
// history (no database): the pending ones up to --to or --steps, refusing
// out-of-order ones unless allowed; the last batch, or down to --to, or --steps.
#pragma once
#include <vector>

#include "engine/migrator.hpp"
#include "engine/status.hpp"

namespace mig {

// In version order. Exit 3 (out_of_order) when a pending version is below the
// newest applied one and options.allow_out_of_order is not set.
std::vector<const Migration*> select_pending(const MigrationStatus& status, const ApplyOptions& options);

// Newest first: the last batch by default; with --to, everything above that
// version; with --steps, that many.
std::vector<HistoryRow> select_reverts(const MigrationStatus& status, const ApplyOptions& options);

}  // namespace mig
