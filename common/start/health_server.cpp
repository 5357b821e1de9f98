#include "start/health_server.hpp"

#include <httplib.h>

#include <sys/socket.h>

#include <thread>

#include "base/errors.hpp"
#include "engine/metrics.hpp"
#include "start/status_page.hpp"

namespace mig {
namespace {
constexpr std::size_t kHttpThreads = 32;
}

struct HealthServer::Impl {
  httplib::Server server;
  std::thread thread;
};

HealthServer::HealthServer(const std::string& listen, const MigrationMetrics& metrics, const std::atomic<bool>& ready,
                           const LiveStatus& status)
    : impl_(std::make_unique<Impl>()) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) throw usage_error("--listen takes HOST:PORT, not '" + listen + "'");
  const std::string host = colon == 0 ? "0.0.0.0" : listen.substr(0, colon);
  const int port = std::atoi(listen.c_str() + colon + 1);
  impl_->server.Get("/ready", [&ready](const httplib::Request&, httplib::Response& res) {
    const bool is_ready = ready.load();
    res.status = is_ready ? 200 : 503;
    res.set_content(is_ready ? "ready\n" : "not ready\n", "text/plain");
  });
  impl_->server.Get("/", [&ready, &status](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(render_status_page(status.snapshot(), ready.load()), "text/html; charset=utf-8");
  });
  impl_->server.Get("/metrics", [&metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.render(), "text/plain; version=0.0.4");
  });
  // Not SO_REUSEPORT (httplib's default): a port another process serves must
  // refuse us before anything migrates, not share its connections with us.
  impl_->server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
  });
  // A readiness probe must never wait behind idle clients (a few browser tabs
  // on the status page): one request per connection, a short read timeout,
  // and more threads than a handful of idle connections can hold.
  impl_->server.set_keep_alive_max_count(1);
  impl_->server.set_read_timeout(2, 0);
  impl_->server.new_task_queue = [] { return new httplib::ThreadPool(kHttpThreads); };
  if (port <= 0 || !impl_->server.bind_to_port(host, port)) {
    throw usage_error("--listen " + listen + ": cannot listen there");
  }
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
}

HealthServer::~HealthServer() {
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace mig
