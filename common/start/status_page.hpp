// mig-start-prod's status page (GET / on --listen): what an operator opens
// in a browser during a deploy. Server-rendered HTML, no script, no external
// asset, refreshing itself every 2 seconds.
#pragma once
#include <functional>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace mig {

// What start_prod knows so far, shared with the HTTP thread: steps, pending
// and applied migrations, the backup, the verification, the workers.
class LiveStatus {
 public:
  void update(const std::function<void(nlohmann::json&)>& change);
  nlohmann::json snapshot() const;

 private:
  mutable std::mutex mutex_;
  nlohmann::json state_ = nlohmann::json::object();
};

std::string render_status_page(const nlohmann::json& status, bool ready);

// HTML-escapes text for element content and attribute values.
std::string html_escape(const std::string& text);

}  // namespace mig
