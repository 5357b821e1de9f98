// Which migrations a run applies or reverts, from the files compared with the
// history (no database): the pending ones up to --to or --steps, refusing
// out-of-order ones unless allowed; the last batch, or down to --to, or --steps.
#pragma once
#include <vector>

#include "engine/migrator.hpp"
#include "engine/status.hpp"

namespace mig {

// In version order. Exit 3 (out_of_order) when a pending version is below the
// newest applied one and options.allow_out_of_order is not set. A database with
// no history starts from the newest checkpoint within --to.
std::vector<const Migration*> select_pending(const MigrationStatus& status, const ApplyOptions& options);

// Where a run over `pending` starts: at the newest checkpoint when the history
// is empty (nothing was ever applied), else at the beginning.
std::vector<const Migration*>::const_iterator from_newest_checkpoint(const MigrationStatus& status,
                                                                       const std::vector<const Migration*>& pending);

// Whether a run over `chosen` starts from the checkpoint `m` (runs it, recording
// the files before it): only as its first step on a database with no history.
// Anywhere else a checkpoint is recorded without running.
bool starts_from(const MigrationStatus& status, const std::vector<const Migration*>& chosen, const Migration& m);

// The files an empty database skips when it starts from `checkpoint`: every one before it.
std::vector<const Migration*> covered_by(const MigrationSet& set, const Migration& checkpoint);

// The repeatable migrations a run over `chosen` applies after it, in name
// order: those new or changed, once no versioned migration is left pending
// (a --to or --steps that stops short runs none: they may use what comes later).
std::vector<const Migration*> repeatables_after(const MigrationStatus& status, const std::vector<const Migration*>& chosen);

// Newest first: the last batch by default; with --to, everything above that
// version; with --steps, that many.
std::vector<HistoryRow> select_reverts(const MigrationStatus& status, const ApplyOptions& options);

}  // namespace mig
