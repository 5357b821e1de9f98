#include "pg/blocker_watch.hpp"

#include "pg/db.hpp"
#include "base/log.hpp"

namespace mig {

BlockerWatch::BlockerWatch(Connect connect, int watched_pid, Duration start_after)
    : thread_(&BlockerWatch::watch, this, std::move(connect), watched_pid, start_after) {}

BlockerWatch::~BlockerWatch() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  thread_.join();
}

std::string BlockerWatch::last_seen() {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_seen_;
}

void BlockerWatch::watch(Connect connect, int watched_pid, Duration start_after) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (stop_requested_.wait_for(lock, start_after, [&] { return stopping_; })) return;
  }
  try {
    auto db = connect();
    const std::string sql =
        "SELECT string_agg('pid ' || pid || ' (' || coalesce(nullif(application_name, ''), usename::text, '?') || "
        "'): ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 120), '; ') FROM pg_stat_activity "
        "WHERE pid = ANY (pg_blocking_pids(" + std::to_string(watched_pid) + "))";
    for (;;) {
      const Field seen = db->query(sql).scalar();
      std::unique_lock<std::mutex> lock(mutex_);
      if (seen) last_seen_ = *seen;
      if (stop_requested_.wait_for(lock, std::chrono::milliseconds(100), [&] { return stopping_; })) return;
    }
  } catch (const std::exception& e) {
    log::debug("blocker watch stopped: ", e.what());
  }
}

}  // namespace mig
