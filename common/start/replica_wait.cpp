#include "start/replica_wait.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"

namespace mig {
namespace {

using Clock = std::chrono::steady_clock;

// Bytes behind the target; a standby past it (WAL written since) is 0, not
// "unknown": -1 is kept for a standby that has replayed nothing.

class NamedStandby {
 public:
  explicit NamedStandby(std::string dsn) : dsn_(std::move(dsn)) {
    const DatabaseAddress a = describe_dsn(dsn_);
    name_ = a.host + ":" + a.port;
  }

  StandbyLag lag(const std::string& target, Clock::time_point deadline) {
    StandbyLag lag{name_, -1, ""};
    try {
      if (!db_) {
        const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now()).count();
        db_ = Database::connect(dsn_, "mig-start-prod-replica", static_cast<int>(std::max<long long>(1, left)));
      }
      const QueryResult r = db_->query("SELECT pg_is_in_recovery(), pg_wal_lsn_diff(" + db_->literal(target) +
                                       "::pg_lsn, pg_last_wal_replay_lsn())::bigint");
      if (r.rows.at(0)[0].value_or("f") != "t") {
        lag.problem = "is not a standby (pg_is_in_recovery() is false)";
      } else {
        lag.lag_bytes = lag_bytes_of(r.rows.at(0)[1]);
        if (lag.lag_bytes < 0 && !r.rows.at(0)[1]) lag.problem = "has replayed nothing yet";
      }
    } catch (const Error& e) {
      db_.reset();  // reconnect next round
      lag.problem = std::string("unreachable: ") + e.what();
    }
    return lag;
  }

 private:
  std::string dsn_;
  std::string name_;
  std::unique_ptr<Database> db_;
};

std::string describe_lagging(const std::vector<StandbyLag>& lags) {
  std::string out;
  for (const StandbyLag& l : lags) {
    if (l.caught_up()) continue;
    out += (out.empty() ? "" : "; ") + std::string("standby ") + l.standby + " " +
           (l.problem.empty() ? std::to_string(l.lag_bytes) + " bytes behind" : l.problem);
  }
  return out;
}

}  // namespace

nlohmann::json wait_for_replicas(Database& primary, const ReplicaWaitOptions& options,
                                 const std::function<void(const std::vector<StandbyLag>&)>& on_poll) {
  const auto started = Clock::now();
  const auto deadline = started + options.timeout;
  const std::string target = primary.query("SELECT pg_current_wal_lsn()::text").scalar().value_or("0/0");
  std::vector<NamedStandby> named;
  for (const std::string& dsn : options.replica_dsns) named.emplace_back(dsn);
  for (;;) {
    std::vector<StandbyLag> lags;
    if (named.empty()) {
      lags = attached_standby_lags(primary, target);
    } else {
      for (NamedStandby& s : named) lags.push_back(s.lag(target, deadline));
    }
    if (on_poll) on_poll(lags);
    const bool all = std::all_of(lags.begin(), lags.end(), [](const StandbyLag& l) { return l.caught_up(); });
    if (all) {
      nlohmann::json standbys = nlohmann::json::array();
      for (const StandbyLag& l : lags) standbys.push_back({{"standby", l.standby}, {"lag_bytes", l.lag_bytes}});
      if (lags.empty()) log::info("--wait-replicas: the primary has no standby attached; nothing to wait for");
      return {{"target_lsn", target},
              {"standbys", standbys},
              {"waited_ms", std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()}};
    }
    if (Clock::now() >= deadline) {
      throw Error(ExitCode::lock_unavailable, "replica_lag",
                  "standbys did not replay the migration (WAL " + target + ") within " +
                      format_duration(options.timeout) + ": " + describe_lagging(lags));
    }
    throw_if_interrupted("waiting for the standbys");
    std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(200), deadline - Clock::now()));
  }
}

}  // namespace mig
