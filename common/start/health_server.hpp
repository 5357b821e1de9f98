// mig-start-prod's HTTP endpoint (cpp-httplib): GET /ready is 200 only once
// migrations are verified and workers run, else 503; GET /metrics is the
// Prometheus text format; GET / is the status page for a browser.
#pragma once
#include <atomic>
#include <memory>
#include <string>

namespace mig {

class LiveStatus;
class MigrationMetrics;

class HealthServer {
 public:
  // `listen` is HOST:PORT (or :PORT for all addresses). Throws mig::Error (exit 2) if it cannot bind.
  HealthServer(const std::string& listen, const MigrationMetrics& metrics, const std::atomic<bool>& ready,
               const LiveStatus& status);
  ~HealthServer();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mig
