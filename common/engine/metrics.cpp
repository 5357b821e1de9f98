#include "engine/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sys/stat.h>

#include <sstream>

#include "base/durable_file.hpp"
#include <nlohmann/json.hpp>

#include "engine/migrator.hpp"

namespace mig {

struct MigrationMetrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Histogram& duration =
      prometheus::BuildHistogram()
          .Name("db_migration_duration_seconds")
          .Help("Time each applied migration took")
          .Register(*registry)
          .Add({}, prometheus::Histogram::BucketBoundaries{0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800});
  prometheus::Gauge& status = prometheus::BuildGauge()
                                  .Name("db_migration_status")
                                  .Help("1 when the last migration run succeeded, 0 when it failed")
                                  .Register(*registry)
                                  .Add({});
  prometheus::Counter& total =
      prometheus::BuildCounter().Name("db_migration_total").Help("Migrations applied").Register(*registry).Add({});
  prometheus::Gauge& pending =
      prometheus::BuildGauge().Name("db_migration_pending").Help("Migrations not yet applied").Register(*registry).Add({});
  prometheus::Family<prometheus::Gauge>& replica_lag =
      prometheus::BuildGauge()
          .Name("db_migration_replica_lag_bytes")
          .Help("Bytes of WAL a standby has yet to replay to see the migrated schema (mig-start-prod --wait-replicas)")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& backfill_rows =
      prometheus::BuildCounter().Name("db_migration_backfill_rows_total").Help("Rows a backfill has changed").Register(*registry);
  prometheus::Family<prometheus::Gauge>& backfill_remaining =
      prometheus::BuildGauge()
          .Name("db_migration_backfill_remaining_rows")
          .Help("Rows a backfill has yet to go through (an estimate from the table's statistics)")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& backfill_throttled =
      prometheus::BuildCounter()
          .Name("db_migration_backfill_throttled_seconds_total")
          .Help("Time a backfill waited, by reason (replica_lag, lock, rate)")
          .Register(*registry);
};

MigrationMetrics::MigrationMetrics() : impl_(std::make_unique<Impl>()) {}
MigrationMetrics::~MigrationMetrics() = default;

void MigrationMetrics::record_applied(const ApplyResult& result) {
  for (const MigrationOutcome& m : result.migrations) {
    impl_->duration.Observe(static_cast<double>(m.duration_ms) / 1000.0);
    impl_->total.Increment();
  }
}

void MigrationMetrics::set_status(bool success) { impl_->status.Set(success ? 1 : 0); }
void MigrationMetrics::set_pending(std::size_t pending) { impl_->pending.Set(static_cast<double>(pending)); }
void MigrationMetrics::set_replica_lag(const std::string& standby, long long bytes) {
  impl_->replica_lag.Add({{"standby", standby}}).Set(static_cast<double>(bytes));
}

void MigrationMetrics::record_backfill_event(const std::string& event, const nlohmann::json& fields) {
  const std::string version = fields.value("version", "");
  if (event == "backfill_batch") {
    impl_->backfill_rows.Add({{"version", version}}).Increment(static_cast<double>(fields.value("rows", 0LL)));
    const long long left = fields.value("estimated_rows_left", -1LL);
    if (left >= 0) impl_->backfill_remaining.Add({{"version", version}}).Set(static_cast<double>(left));
  } else if (event == "backfill_finished") {
    impl_->backfill_remaining.Add({{"version", version}}).Set(0);
  } else if (event == "backfill_throttled") {
    impl_->backfill_throttled.Add({{"version", version}, {"reason", fields.value("reason", "")}})
        .Increment(static_cast<double>(fields.value("waited_ms", 0LL)) / 1000.0);
  }
}

std::string MigrationMetrics::render() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, impl_->registry->Collect());
  return out.str();
}

void MigrationMetrics::write_file(const std::string& path) const {
  write_file_atomically(path, render());
  ::chmod(path.c_str(), 0644);  // node_exporter reads it as another user
}

}  // namespace mig
