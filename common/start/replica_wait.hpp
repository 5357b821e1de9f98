// mig-start-prod --wait-replicas: workers start only once every standby has
// replayed the WAL of the migration, so read replicas never serve the old
// schema to new code. Caught up means pg_wal_lsn_diff(target, replayed) <= 0.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration.hpp"
#include "pg/standbys.hpp"

namespace mig {

class Database;

struct ReplicaWaitOptions {
  bool enabled = false;
  std::vector<std::string> replica_dsns;  // empty: every standby in the primary's pg_stat_replication
  Duration timeout = std::chrono::seconds(60);
};


// Reads pg_current_wal_lsn() on the primary and polls until every standby has
// replayed past it. `on_poll` sees each round's lags. Returns
// {target_lsn, standbys: [{standby, lag_bytes}], waited_ms}. Throws exit 6,
// kind "replica_lag", naming the standby and its lag, when `timeout` runs out.
nlohmann::json wait_for_replicas(Database& primary, const ReplicaWaitOptions& options,
                                 const std::function<void(const std::vector<StandbyLag>&)>& on_poll);

}  // namespace mig
