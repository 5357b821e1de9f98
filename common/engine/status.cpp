#include "engine/status.hpp"

#include <algorithm>

#include "base/errors.hpp"

namespace mig {

namespace {

// Things looked up by their exact version text ("007" and "7" are different
// files), in one sorted array rather than a node per entry.
template <class T>
class ByVersion {
 public:
  void add(const T* item) { items_.push_back(item); }
  void seal() {
    std::sort(items_.begin(), items_.end(), [](const T* a, const T* b) { return a->version < b->version; });
  }
  const T* find(const std::string& version) const {
    auto it = std::lower_bound(items_.begin(), items_.end(), version,
                               [](const T* item, const std::string& v) { return item->version < v; });
    return it != items_.end() && (*it)->version == version ? *it : nullptr;
  }

 private:
  std::vector<const T*> items_;
};

void compare_repeatables(const MigrationSet& set, MigrationStatus& status) {
  for (const Migration& m : set.repeatables) {
    const auto row = std::find_if(status.repeatable_rows.begin(), status.repeatable_rows.end(),
                                  [&](const HistoryRow& r) { return r.version == m.version; });
    RepeatableStatus r{&m, "new", std::nullopt};
    if (row != status.repeatable_rows.end()) {
      r.recorded_checksum = row->checksum;
      r.state = row->checksum == m.up.checksum && row->status == "applied" ? "unchanged" : "changed";
    }
    if (r.state != "unchanged") status.repeatables_due.push_back(&m);
    status.repeatables.push_back(std::move(r));
  }
  for (const HistoryRow& row : status.repeatable_rows) {
    const bool has_file = std::any_of(set.repeatables.begin(), set.repeatables.end(),
                                      [&](const Migration& m) { return m.version == row.version; });
    if (!has_file) status.repeatables_gone.push_back(row);
  }
}

}  // namespace

MigrationStatus compare_with_history(const MigrationSet& set, std::vector<HistoryRow> rows) {
  MigrationStatus status;
  const auto first_repeatable = std::stable_partition(
      rows.begin(), rows.end(), [](const HistoryRow& r) { return !is_repeatable_key(r.version); });
  status.repeatable_rows.assign(std::make_move_iterator(first_repeatable), std::make_move_iterator(rows.end()));
  rows.erase(first_repeatable, rows.end());
  status.history = std::move(rows);
  compare_repeatables(set, status);
  ByVersion<Migration> files;
  for (const Migration& m : set.migrations) files.add(&m);
  files.seal();

  ByVersion<HistoryRow> recorded;
  for (const HistoryRow& row : status.history) {
    recorded.add(&row);
    if (row.status == "failed") {
      status.failed.push_back(row);
      continue;
    }
    if (row.status == "running") {  // a backfill that has not finished: pending, resumed where it stopped
      status.running.push_back(&row);
      const Migration* file = files.find(row.version);
      if (!file) {
        status.missing.push_back(row);
      } else if (file->up.checksum != row.checksum) {
        status.changed.push_back({row.version, row.name, file->up.checksum, row.checksum});
      }
      continue;
    }
    status.applied.push_back(&row);
    status.current_version = row.version;  // rows come ordered by version
    const Migration* file = files.find(row.version);
    if (!file) {
      status.missing.push_back(row);
    } else if (file->up.checksum != row.checksum) {
      status.changed.push_back({row.version, row.name, file->up.checksum, row.checksum});
    }
  }
  recorded.seal();
  for (const Migration& m : set.migrations) {
    const HistoryRow* row = recorded.find(m.version);
    if (row && row->status != "running") continue;
    status.pending.push_back(&m);
    if (status.current_version && compare_versions(m.version, *status.current_version) < 0) {
      status.out_of_order.push_back(&m);
    }
  }
  return status;
}

void require_consistent(const MigrationStatus& status) {
  if (!status.failed.empty()) {
    const HistoryRow& f = status.failed.front();
    throw Error(ExitCode::needs_repair, "needs_repair",
                "migration " + f.version + "_" + f.name + " is recorded as failed" +
                    (f.error ? " (" + *f.error + ")" : "") +
                    "; fix the database by hand, then run mig-apply --repair " + f.version +
                    " (or --repair " + f.version + " --forget to run it again)");
  }
  if (!status.changed.empty()) {
    const ChangedMigration& c = status.changed.front();
    throw invalid_input("checksum_mismatch", "applied migration " + c.version + "_" + c.name +
                                                 " was edited after it was applied (file " + c.file_checksum +
                                                 ", recorded " + c.recorded_checksum +
                                                 "); restore the file or run mig-apply --repair " + c.version);
  }
  if (!status.missing.empty()) {
    const HistoryRow& m = status.missing.front();
    throw invalid_input("missing_migration", "applied migration " + m.version + "_" + m.name +
                                                 " has no file in the migrations folder any more");
  }
}

}  // namespace mig
