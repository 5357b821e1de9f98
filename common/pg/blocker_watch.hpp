// Names the sessions blocking a migration, so a lock-timeout or deadlock retry
// can say who was in the way. Watches from a second connection, opened only
// when the migration is still running after `start_after` (most finish long before).
#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/duration.hpp"

namespace mig {

class Database;

class BlockerWatch {
 public:
  using Connect = std::function<std::unique_ptr<Database>()>;
  BlockerWatch(Connect connect, int watched_pid, Duration start_after);
  ~BlockerWatch();
  BlockerWatch(const BlockerWatch&) = delete;
  BlockerWatch& operator=(const BlockerWatch&) = delete;

  // The blockers last seen, e.g. "pid 4711 (psql): SELECT * FROM orders", or "".
  std::string last_seen();

 private:
  void watch(Connect connect, int watched_pid, Duration start_after);
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::string last_seen_;
  std::thread thread_;
};

}  // namespace mig
