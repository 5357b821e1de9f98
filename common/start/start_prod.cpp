#include "start/start_prod.hpp"

#include <systemd/sd-daemon.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <chrono>
#include <thread>

#include "pg/db.hpp"
#include "engine/directives.hpp"
#include "base/interrupt.hpp"
#include "base/errors.hpp"
#include "pg/lock.hpp"
#include "base/log.hpp"
#include "engine/metrics.hpp"
#include "engine/migration_set.hpp"
#include "start/deployment_check.hpp"
#include "pg/history.hpp"
#include "cli/output.hpp"
#include "start/health_server.hpp"
#include "start/status_page.hpp"
#include "start/supervisor.hpp"
#include "engine/status.hpp"

namespace mig {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// Runs one named step, recording it in data.steps, as an event and on the status page.
template <typename Step>
auto step(const char* name, json& data, const StartProdHooks& hooks, LiveStatus& live, Step&& body) {
  const auto started = Clock::now();
  if (hooks.events) hooks.events("step_started", {{"step", name}});
  live.update([&](json& s) { s["current_step"] = name; });
  log::info(name, "...");
  const auto done = [&] {
    live.update([&](json& s) {
      s["steps"] = data["steps"];
      s.erase("current_step");
    });
  };
  try {
    auto result = body();
    data["steps"].push_back({{"step", name}, {"ok", true}, {"duration_ms", ms_since(started)}});
    done();
    if (hooks.events) hooks.events("step_done", {{"step", name}, {"duration_ms", ms_since(started)}});
    return result;
  } catch (const Error& e) {
    data["steps"].push_back({{"step", name}, {"ok", false}, {"duration_ms", ms_since(started)}, {"error", e.what()}});
    done();
    live.update([&](json& s) { s["error"] = std::string(name) + ": " + e.what(); });
    if (hooks.events) hooks.events("step_failed", {{"step", name}, {"error", e.what()}});
    throw;
  }
}

json migrations_of(const std::vector<HistoryRow>& rows) {
  json out = json::array();
  for (const HistoryRow& r : rows) {
    out.push_back({{"version", r.version}, {"name", r.name}, {"status", r.status}, {"applied_at", r.applied_at},
                   {"duration_ms", r.execution_ms}, {"batch", r.batch}});
  }
  return out;
}

// Worker states for the status page, from the supervisor's events.
void note_worker(LiveStatus& live, const std::string& event, int worker, int code) {
  live.update([&](json& s) {
    json& w = s["workers"][std::to_string(worker)];
    if (event == "worker_started") {
      w["restarts"] = w.contains("state") ? w.value("restarts", 0) + 1 : 0;
      w["state"] = "running";
    } else if (event == "worker_exited") {
      w["state"] = "exited";
      w["last_exit"] = code;
    }
  });
}

// --wait is a hard bound: each attempt's connect_timeout is what is left of it.
// A wrong password or a missing database cannot get better by waiting: exit 4 at once.
std::unique_ptr<Database> wait_for_database(const StartProdOptions& o) {
  const auto deadline = Clock::now() + o.wait;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now()).count();
    try {
      return Database::connect(o.dsn, "mig-start-prod", static_cast<int>(std::max<long long>(1, left)));
    } catch (const Error& e) {
      if (e.code() != ExitCode::database_unreachable || is_final_connect_error(e) || Clock::now() >= deadline) {
        throw Error(e.code(), e.kind(), std::string(e.what()) + " (waited " + format_duration(o.wait) + ")");
      }
      log::debug("database not reachable yet: ", e.what());
      std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(500), deadline - Clock::now()));
    }
  }
}

// The first pending migration that is a backfill, or nullptr.
const Migration* first_pending_backfill(const MigrationStatus& status) {
  for (const Migration* m : status.pending) {
    if (read_directives(m->up).backfill) return m;
  }
  return nullptr;
}

// The pending migrations before `backfill` (what runs before the workers start).
std::size_t pending_before(const MigrationStatus& status, const Migration* backfill) {
  std::size_t n = 0;
  for (const Migration* m : status.pending) n += !backfill || compare_versions(m->version, backfill->version) < 0 ? 1 : 0;
  return n + (backfill ? 0 : status.repeatables_due.size());  // repeatables run after the last version
}

// The backfill and what follows it, on a connection and thread of their own,
// then the full verification (schema file included). A failure is logged,
// shown on the status page and in db_migration_status; the workers go on.
class BackgroundBackfills {
 public:
  BackgroundBackfills(const StartProdOptions& o, const MigrationSet& set, const EventSink& events, MigrationMetrics& metrics,
                      LiveStatus& live)
      : thread_([this, &o, &set, events, &metrics, &live] {
          run(o, set, events, metrics, live);
          done_ = true;
        }) {}
  ~BackgroundBackfills() { stop(); }
  // Asks the backfill to stop between batches (its progress is kept) and waits for it.
  void stop() {
    if (!thread_.joinable()) return;
    if (!done_) request_interrupt(SIGTERM);
    thread_.join();
  }

 private:
  static void run(const StartProdOptions& o, const MigrationSet& set, const EventSink& events, MigrationMetrics& metrics, LiveStatus& live) {
    live.update([](json& s) { s["backfills"] = {{"state", "running"}}; });
    try {
      auto db = Database::connect(o.dsn, "mig-start-prod-backfill");
      MigratorContext ctx{*db, o.table, o.timeouts, [dsn = o.dsn] { return Database::connect(dsn, "mig-start-prod-watch"); },
                          [&](const std::string& event, const json& fields) {
                            metrics.record_backfill_event(event, fields);
                            if (event == "backfill_batch") live.update([&](json& s) { s["backfills"]["last_batch"] = fields; });
                            if (events) events(event, fields);
                          },
                          o.backfill};
      ctx.session_pooler = o.session_pooler;
      const ApplyResult applied = migrate(ctx, set, ApplyOptions{});
      metrics.record_applied(applied);
      const json verified = check_deployment(*db, set, o.table, o.schema_file);
      metrics.set_status(true);
      metrics.set_pending(0);
      live.update([&](json& s) {
        s["history"] = migrations_of(History(*db, o.table).read());
        s["pending"] = json::array();
        s["verification"] = verified;
        s["backfills"]["state"] = "done";
      });
      log::info("background backfills done; the schema is verified at version ", verified.value("current_version", ""));
    } catch (const Error& e) {
      metrics.set_status(false);
      live.update([&](json& s) {
        s["backfills"]["state"] = "failed";
        s["backfills"]["error"] = e.what();
      });
      log::error("background backfill stopped: ", e.what());
    }
    if (o.metrics_file) metrics.write_file(*o.metrics_file);
  }

  std::atomic<bool> done_{false};
  std::thread thread_;
};

void notify_systemd(const char* state) {
  if (std::getenv("NOTIFY_SOCKET")) sd_notify(0, state);
}

}  // namespace

int start_prod(const StartProdOptions& o, const StartProdHooks& hooks, json& data) {
  data["steps"] = json::array();
  MigrationMetrics metrics;
  std::atomic<bool> ready{false};
  LiveStatus live;
  live.update([](json& s) {
    s["started_at"] = rfc3339_utc(std::chrono::system_clock::now());
    s["steps"] = json::array();
  });
  std::unique_ptr<HealthServer> http;
  if (o.listen) http = std::make_unique<HealthServer>(*o.listen, metrics, ready, live);
  const auto publish = [&](bool success, std::size_t pending) {
    metrics.set_status(success);
    metrics.set_pending(pending);
    if (o.metrics_file) metrics.write_file(*o.metrics_file);
  };

  auto stop_until_workers_run = std::make_unique<StopUntilWorkersRun>(hooks.on_stop_before_workers);

  // 0. The files first: a bad set stops us before the database is touched.
  const MigrationSet set = load_migration_set(o.migrations_dir);

  // 1. Wait for the database.
  auto db = step("wait_for_database", data, hooks, live, [&] { return wait_for_database(o); });
  if (hooks.on_connected) hooks.on_connected(*db);
  live.update([&](json& s) {
    const DatabaseAddress a = db->address();
    s["database"] = a.dbname + " on " + a.host + ":" + a.port;
  });
  // Events may come from the background backfill's thread too: one line at a time.
  auto events_mutex = std::make_shared<std::mutex>();
  const EventSink events = hooks.events ? EventSink([events_mutex, sink = hooks.events](const std::string& e, const json& f) {
    const std::lock_guard<std::mutex> hold(*events_mutex);
    sink(e, f);
  }) : EventSink();
  MigratorContext ctx{*db, o.table, o.timeouts, [dsn = o.dsn] { return Database::connect(dsn, "mig-start-prod-watch"); },
                      events, o.backfill};
  ctx.session_pooler = o.session_pooler;
  // With --backfills background, a replica whose only pending work is an
  // unfinished backfill (another replica may be running it) takes no lock.
  const Migration* deferred = nullptr;
  bool foreground_work = true;
  if (o.backfills_in_background) {
    const MigrationStatus peek = compare_with_history(set, History(*db, o.table).read_all());
    const Migration* backfill = first_pending_backfill(peek);
    foreground_work = !backfill || pending_before(peek, backfill) > 0;
  }

  // 2. The migration lock: one replica works, the others wait here.
  MigrationLock lock(*db, o.table, o.session_pooler);
  if (foreground_work) step("take_migration_lock", data, hooks, live, [&] {
    lock.acquire(o.timeouts.lock_wait, [](const LockHolder& h) {
      log::info("another replica is migrating: waiting for ", h.describe());
    });
    return true;
  });

  // 3. Anything pending: a verified backup first, then apply.
  try {
    const auto at_start = compare_with_history(set, History(*db, o.table).read_all());
    if (o.backfills_in_background) deferred = first_pending_backfill(at_start);
    const std::size_t pending = pending_before(at_start, deferred);
    if (deferred) data["deferred_backfill"] = deferred->version + "_" + deferred->name;
    data["pending_at_start"] = pending;
    live.update([&](json& s) {
      s["history"] = migrations_of(at_start.history);
      s["pending"] = json::array();
      for (const auto* m : at_start.pending) s["pending"].push_back({{"version", m->version}, {"name", m->name}});
      // Why no backup shows, for the status page: none was asked for, or nothing needed one.
      s["backup_skipped"] = !o.backup ? "--no-backup" : pending == 0 ? "nothing was pending" : "";
    });
    if (pending > 0) {
      std::optional<std::string> backup_id;
      if (o.backup) {
        const json backup = step("backup", data, hooks, live, [&] {
          BackupContext bctx{*db, o.dsn, o.table, o.migrations_dir, hooks.events};
          return take_backup(bctx, o.backup_options);
        });
        data["backup"] = backup["backup"];
        live.update([&](json& s) { s["backup"] = backup["backup"]; });
        backup_id = backup["backup"]["id"].get<std::string>();
      }
      const ApplyResult applied = step("migrate", data, hooks, live, [&] {
        ApplyOptions apply;
        apply.backup_id = backup_id;
        if (deferred) {  // up to the last pending migration before the backfill
          for (const Migration* m : at_start.pending) {
            if (compare_versions(m->version, deferred->version) < 0) apply.to_version = m->version;
          }
        }
        return migrate(ctx, set, apply);
      });
      metrics.record_applied(applied);
      live.update([&](json& s) {
        s["history"] = migrations_of(History(*db, o.table).read());
        s["pending"] = json::array();  // what is left: the deferred backfill and what follows it
        for (const auto* m : at_start.pending) {
          if (deferred && compare_versions(m->version, deferred->version) >= 0) {
            s["pending"].push_back({{"version", m->version}, {"name", m->name}});
          }
        }
      });
      data["applied"] = json::array();
      for (const auto& m : applied.migrations) data["applied"].push_back({{"version", m.version}, {"name", m.name}, {"duration_ms", m.duration_ms}});
    }

    // 4. Verify: exactly what the files describe, and every verify script passes.
    data["verification"] = step("verify", data, hooks, live, [&] {
      // Before a deferred backfill: what comes before it (the schema file describes the end state: checked after it).
      return deferred ? check_deployment(*db, set, o.table, std::nullopt, deferred->version)
                      : check_deployment(*db, set, o.table, o.schema_file);
    });
    live.update([&](json& s) { s["verification"] = data["verification"]; });
  } catch (const Error&) {
    std::size_t pending = set.migrations.size();  // if the history cannot be read now, err high
    try {
      pending = compare_with_history(set, History(*db, o.table).read_all()).pending.size();
    } catch (const Error&) {
    }
    publish(false, pending);
    throw;  // the original failure, not the one above
  }
  publish(true, 0);

  // 5. Let the next replica in; with --wait-replicas, wait until every standby
  // has replayed the migration; then run the workers.
  if (lock.held()) lock.release();
  std::unique_ptr<BackgroundBackfills> background;
  if (deferred) {
    log::info("workers start now; the backfill ", deferred->version, "_", deferred->name, " and what follows it run in the background");
    background = std::make_unique<BackgroundBackfills>(o, set, events, metrics, live);
  }
  if (o.replicas.enabled) {
    data["replicas"] = step("wait_for_replicas", data, hooks, live, [&] {
      return wait_for_replicas(*db, o.replicas, [&](const std::vector<StandbyLag>& lags) {
        for (const StandbyLag& l : lags) metrics.set_replica_lag(l.standby, l.lag_bytes);
        if (o.metrics_file) metrics.write_file(*o.metrics_file);
      });
    });
  }
  db.reset();
  data["workers"] = o.supervisor.workers;
  stop_until_workers_run.reset();  // from here on the supervisor hears the signals
  int status = 0;
  step("run_workers", data, hooks, live, [&] {
    status = supervise(o.supervisor, [&](const std::string& event, int worker, int code) {
      note_worker(live, event, worker, code);
      if (event == "worker_started") {
        ready = true;
        notify_systemd("READY=1");
      }
      if (hooks.events) hooks.events(event, {{"worker", worker}, {"code", code}});
    });
    return true;
  });
  ready = false;
  notify_systemd("STOPPING=1");
  if (background) background->stop();  // between two batches; its progress is kept for the next start
  data["exit_status"] = status;
  return status;
}

}  // namespace mig
