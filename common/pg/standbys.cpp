#include "pg/standbys.hpp"

#include <algorithm>

#include "pg/db.hpp"

namespace mig {

long long lag_bytes_of(const std::optional<std::string>& value) { return value ? std::max(0LL, std::stoll(*value)) : -1; }

// Standbys the primary knows: one row per walsender.
std::vector<StandbyLag> attached_standby_lags(Database& primary, const std::string& target) {
  std::vector<StandbyLag> lags;
  const QueryResult rows = primary.query(
      "SELECT coalesce(nullif(application_name, ''), client_addr::text, 'pid ' || pid), "
      "pg_wal_lsn_diff(" + primary.literal(target) + "::pg_lsn, replay_lsn)::bigint "
      "FROM pg_stat_replication ORDER BY 1");
  for (const Row& row : rows.rows) {
    StandbyLag lag{row[0].value_or("?"), lag_bytes_of(row[1]), ""};
    if (!row[1]) lag.problem = "has replayed nothing yet";
    lags.push_back(lag);
  }
  return lags;
}

}  // namespace mig
