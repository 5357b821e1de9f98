#include "pg/lock.hpp"

#include "base/interrupt.hpp"

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "pg/history.hpp"
#include "base/log.hpp"
#include "text/source_text.hpp"

namespace mig {

std::int32_t lock_key_for(const HistoryTableName& name) {
  const std::string digest = sha256_digest(name.schema + std::string(1, '\0') + name.table);
  std::uint32_t key = 0;
  for (int i = 0; i < 4; ++i) key = (key << 8) | static_cast<unsigned char>(digest[i]);
  return static_cast<std::int32_t>(key);
}

std::string LockHolder::describe() const {
  if (pid == 0) return "an unknown session";
  return "pid " + std::to_string(pid) + " (" + (application_name.empty() ? "no application_name" : application_name) +
         ", " + client_address + ")";
}

MigrationLock::MigrationLock(Database& db, const HistoryTableName& name, bool session_pooler)
    : db_(db), key_(lock_key_for(name)), pooler_allowed_(session_pooler) {}

MigrationLock::~MigrationLock() {
  if (!held_) return;
  try {
    release();
  } catch (const std::exception& e) {
    log::debug("migration lock release on exit failed: ", e.what());
  }
}

bool MigrationLock::try_once(const std::string& first) {
  // Taken only on the backend libpq connected to: behind a transaction pooler the
  // next statement may run on another backend, and a session lock would be no lock.
  const std::string pid = std::to_string(db_.backend_pid());
  const std::string lock =
      "pg_try_advisory_lock(" + std::to_string(kLockNamespace) + ", " + std::to_string(key_) + ")";
  const auto result = db_.query(first + "SELECT pg_backend_pid(), " +
                                (pooler_allowed_ ? lock : "CASE WHEN pg_backend_pid() = " + pid + " THEN " + lock + " END"));
  const Row& row = result.rows.at(0);
  if (row[0].value_or("") != pid && !pooler_allowed_) {
    throw Error(ExitCode::invalid_input, "pooler",
                "the connection goes through a connection pooler (libpq was given backend pid " + pid +
                    ", the server runs this session as pid " + row[0].value_or("?") +
                    "): the migration lock is a session advisory lock, which transaction pooling breaks; use a "
                    "direct DSN to PostgreSQL, or, for a pooler in session mode, set MIG_SESSION_POOLER=1");
  }
  held_ = row[1] == std::string("t");
  return held_;
}

LockHolder MigrationLock::holder() {
  const std::uint32_t objid = static_cast<std::uint32_t>(key_);
  const auto result = db_.query(
      "SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local socket') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = " +
      std::to_string(kLockNamespace) + " AND l.objid = " + std::to_string(objid) +
      " AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())");
  LockHolder h;
  if (result.rows.empty()) return h;
  const Row& r = result.rows.front();
  h.pid = std::stoi(r[0].value_or("0"));
  h.application_name = r[1].value_or("");
  h.client_address = r[2].value_or("");
  return h;
}

void MigrationLock::acquire(Duration wait, const std::function<void(const LockHolder&)>& on_wait) {
  // Sent with the first attempt: no round trip of its own.
  const std::string end_with_client =
      db_.server_version() >= 140000 ? "SET client_connection_check_interval = '1s'; " : "";
  if (try_once(end_with_client)) return;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  LockHolder last_holder = holder();
  if (on_wait) on_wait(last_holder);
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> jitter_ms(100, 300);
  while (std::chrono::steady_clock::now() < deadline) {
    throw_if_interrupted("waiting for the migration lock");
    const auto left = deadline - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(jitter_ms(rng)), left));
    if (try_once()) return;
  }
  if (LockHolder now = holder(); now.pid != 0) last_holder = now;
  throw Error(ExitCode::lock_unavailable, "lock_timeout",
              "the migration lock is held by " + last_holder.describe() + "; gave up after " +
                  format_duration(wait) + " (--lock-wait)");
}

bool MigrationLock::release() {
  if (!held_) return true;
  held_ = false;
  const auto result = db_.query("SELECT pg_advisory_unlock(" + std::to_string(kLockNamespace) + ", " +
                                std::to_string(key_) + ")");
  if (result.scalar() != std::string("t")) {
    log::error("the migration lock was not held at release; another session may have run concurrently");
    return false;
  }
  return true;
}

}  // namespace mig
