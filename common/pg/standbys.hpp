// The standbys a primary streams to (pg_stat_replication), and how far each one's
// replay is behind a WAL position: mig-start-prod --wait-replicas waits on it,
// a backfill throttles on it.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace mig {

class Database;

struct StandbyLag {
  std::string standby;
  long long lag_bytes = -1;  // -1: unknown (unreachable, or not replaying)
  std::string problem;       // why it is unknown
  bool caught_up() const { return lag_bytes >= 0 && problem.empty() && lag_bytes <= 0; }
};

// Every standby attached to `primary` (pg_stat_replication), with how far its
// replay is behind `target_lsn` in bytes.
std::vector<StandbyLag> attached_standby_lags(Database& primary, const std::string& target_lsn);

// A byte distance the server gave (pg_wal_lsn_diff), at least 0; -1 when null.
long long lag_bytes_of(const std::optional<std::string>& value);

}  // namespace mig
