// The migration lock (CONTRACT §5): a session advisory lock, taken by polling
// pg_try_advisory_lock so a waiter never blocks inside the server (a blocked
// waiter deadlocks with another session's CREATE INDEX CONCURRENTLY).
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "base/duration.hpp"

namespace mig {

class Database;
struct HistoryTableName;

constexpr std::int32_t kLockNamespace = 1296649009;  // "MIG1"

// First 4 bytes (big-endian, signed) of SHA-256(schema || '\0' || table).
std::int32_t lock_key_for(const HistoryTableName& name);

// Who holds the lock, for messages: "pid 123 (mig-apply, 10.0.0.5)".
struct LockHolder {
  int pid = 0;
  std::string application_name;
  std::string client_address;
  std::string describe() const;
};

class MigrationLock {
 public:
  // `session_pooler`: the DSN goes through a pooler in session mode (each client keeps one
  // server session), so the session advisory lock holds; otherwise any pooler is refused.
  MigrationLock(Database& db, const HistoryTableName& name, bool session_pooler);
  ~MigrationLock();
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

  // Polls with jitter until `wait` runs out, then throws exit 6 naming the
  // holder. `on_wait` hears about the holder once, when waiting starts.
  // The session also asks the server (PostgreSQL 14+) to check every second
  // that this client is still there: a killed applier's migration is then
  // cancelled and rolled back, and the lock freed, instead of running on.
  void acquire(Duration wait, const std::function<void(const LockHolder&)>& on_wait = {});
  // Returns false (and logs) when the server says the lock was not held.
  bool release();
  bool held() const { return held_; }

 private:
  bool try_once(const std::string& first = "");
  LockHolder holder();
  Database& db_;
  std::int32_t key_;
  bool pooler_allowed_;
  bool held_ = false;
};


}  // namespace mig
