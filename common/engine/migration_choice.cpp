#include "engine/migration_choice.hpp"

#include <algorithm>

#include "base/errors.hpp"

namespace mig {

std::vector<const Migration*> select_pending(const MigrationStatus& status, const ApplyOptions& options) {
  if (!status.out_of_order.empty() && !options.allow_out_of_order) {
    const Migration& m = *status.out_of_order.front();
    throw invalid_input("out_of_order", "pending migration " + m.version + "_" + m.name +
                                            " is older than the newest applied one (" +
                                            status.current_version.value_or("") +
                                            "); pass --allow-out-of-order to apply it anyway");
  }
  std::vector<const Migration*> reachable;  // up to --to
  for (const Migration* m : status.pending) {
    if (options.to_version && compare_versions(m->version, *options.to_version) > 0) continue;
    reachable.push_back(m);
  }
  std::vector<const Migration*> chosen;
  for (auto it = from_newest_checkpoint(status, reachable); it != reachable.end(); ++it) {
    if (options.steps && static_cast<int>(chosen.size()) >= *options.steps) break;
    chosen.push_back(*it);
  }
  return chosen;
}

std::vector<const Migration*>::const_iterator from_newest_checkpoint(const MigrationStatus& status,
                                                                       const std::vector<const Migration*>& pending) {
  if (!status.history.empty()) return pending.begin();
  for (auto it = pending.end(); it != pending.begin();) {
    --it;
    if ((*it)->checkpoint) return it;
  }
  return pending.begin();
}

bool starts_from(const MigrationStatus& status, const std::vector<const Migration*>& chosen, const Migration& m) {
  return m.checkpoint && status.history.empty() && !chosen.empty() && chosen.front() == &m;
}

std::vector<const Migration*> covered_by(const MigrationSet& set, const Migration& checkpoint) {
  std::vector<const Migration*> covered;
  for (const Migration& m : set.migrations) {
    if (compare_versions(m.version, checkpoint.version) >= 0) break;
    covered.push_back(&m);
  }
  return covered;
}

std::vector<const Migration*> repeatables_after(const MigrationStatus& status, const std::vector<const Migration*>& chosen) {
  const bool reaches_the_end = status.pending.empty() || (!chosen.empty() && chosen.back() == status.pending.back());
  return reaches_the_end ? status.repeatables_due : std::vector<const Migration*>{};
}

std::vector<HistoryRow> select_reverts(const MigrationStatus& status, const ApplyOptions& options) {
  long long last_batch = 0;
  for (const HistoryRow* r : status.applied) last_batch = std::max(last_batch, r->batch);
  std::vector<HistoryRow> chosen;
  for (auto it = status.applied.rbegin(); it != status.applied.rend(); ++it) {
    const HistoryRow& r = **it;
    if (options.to_version) {
      if (compare_versions(r.version, *options.to_version) <= 0) break;
    } else if (options.steps) {
      if (static_cast<int>(chosen.size()) >= *options.steps) break;
    } else if (r.batch != last_batch) {
      continue;
    }
    chosen.push_back(r);
  }
  return chosen;
}

}  // namespace mig
