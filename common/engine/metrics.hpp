// The contract's migration metrics (CONTRACT §9) in a prometheus-cpp registry:
// served at /metrics by mig-start-prod, or written for node_exporter's
// textfile collector with --metrics-file.
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace mig {

struct ApplyResult;

class MigrationMetrics {
 public:
  MigrationMetrics();
  ~MigrationMetrics();

  void record_applied(const ApplyResult& result);  // durations, total
  void set_status(bool success);
  void set_pending(std::size_t pending);
  void set_replica_lag(const std::string& standby, long long bytes);
  // From a backfill's progress events (backfill_batch, backfill_throttled):
  // db_migration_backfill_rows_total{version}, ..._remaining_rows{version},
  // ..._throttled_seconds_total{version,reason}. Other events are ignored.
  void record_backfill_event(const std::string& event, const nlohmann::json& fields);

  std::string render() const;  // Prometheus text format
  // Writes render() atomically (a half-written file would be scraped).
  void write_file(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mig
