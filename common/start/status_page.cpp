#include "start/status_page.hpp"

#include <sstream>

namespace mig {
namespace {

using nlohmann::json;

std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

std::string cell(const json& value) { return "<td>" + html_escape(text_of(value)) + "</td>"; }

const char* const kStyle =
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:64em;padding:0 1em;color:#1b1f23}"
    "h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.6em 0 .4em}"
    ".badge{display:inline-block;padding:.25em .8em;border-radius:1em;font-weight:600;color:#fff}"
    ".ok{background:#1a7f37}.wait{background:#9a6700}.fail{background:#cf222e}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #d0d7de}"
    "th{background:#f6f8fa;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".muted{color:#57606a}code{font-family:ui-monospace,monospace}";

// The overall state: failed, ready (workers run), or the step under way.
std::string headline(const json& s, bool ready) {
  if (s.contains("error")) return "<span class=\"badge fail\">failed</span> " + html_escape(text_of(s["error"]));
  if (ready) return "<span class=\"badge ok\">ready</span> migrated, verified, workers running";
  const std::string step = s.value("current_step", "starting");
  return "<span class=\"badge wait\">not ready</span> " + html_escape(step) + "&hellip;";
}

void steps_table(std::ostringstream& out, const json& s) {
  out << "<h2>Steps</h2><table><tr><th>step</th><th>result</th><th class=\"num\">ms</th></tr>";
  for (const json& st : s.value("steps", json::array())) {
    out << "<tr>" << cell(st["step"]) << "<td>" << (st.value("ok", false) ? "ok" : "failed: " + html_escape(st.value("error", "")))
        << "</td><td class=\"num\">" << text_of(st["duration_ms"]) << "</td></tr>";
  }
  if (s.contains("current_step")) out << "<tr>" << cell(s["current_step"]) << "<td>running</td><td></td></tr>";
  out << "</table>";
}

void migrations_table(std::ostringstream& out, const json& s) {
  const json applied = s.value("history", json::array());
  const json pending = s.value("pending", json::array());
  out << "<h2>Migrations</h2><p class=\"muted\">" << applied.size() << " applied, " << pending.size()
      << " pending</p><table><tr><th>version</th><th>name</th><th>state</th><th>applied at (UTC)</th>"
         "<th class=\"num\">ms</th><th>batch</th></tr>";
  // A background backfill's row is under way, not waiting.
  const json backfills = s.value("backfills", json::object());
  const json batch = backfills.value("last_batch", json::object());
  const bool backfilling = backfills.value("state", std::string()) == "running";
  for (const json& m : pending) {
    const bool this_one = backfilling && batch.value("version", json()) == m["version"];
    out << "<tr>" << cell(m["version"]) << cell(m["name"]) << "<td>" << (this_one ? "backfilling" : "pending")
        << "</td><td></td><td></td><td></td></tr>";
  }
  for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
    const json& m = *it;
    out << "<tr>" << cell(m["version"]) << cell(m["name"]) << cell(m["status"]) << cell(m["applied_at"])
        << "<td class=\"num\">" << text_of(m["duration_ms"]) << "</td>" << cell(m["batch"]) << "</tr>";
  }
  out << "</table>";
}

void backup_and_verification(std::ostringstream& out, const json& s) {
  out << "<h2>Backup</h2>";
  if (s.contains("backup")) {
    const json& b = s["backup"];
    out << "<p><code>" << html_escape(text_of(b.value("id", json()))) << "</code>, " << html_escape(text_of(b.value("bytes", json())))
        << " bytes, verified: " << html_escape(text_of(b.value("verified", json()))) << "</p>";
  } else {
    const std::string why = s.value("backup_skipped", std::string());
    out << "<p class=\"muted\">" << (why.empty() ? std::string("not yet") : "none taken by this start: " + html_escape(why))
        << "</p>";
  }
  out << "<h2>Verification</h2>";
  if (s.contains("verification")) {
    const json& v = s["verification"];
    out << "<p>schema at version <code>" << html_escape(text_of(v.value("current_version", json()))) << "</code>, "
        << v.value("verify_scripts", json::array()).size() << " verify script(s) passed</p>";
  } else {
    out << "<p class=\"muted\">not yet</p>";
  }
}

// --backfills background: the backfill running beside the workers.
void backfill_section(std::ostringstream& out, const json& s) {
  if (!s.contains("backfills")) return;
  const json& b = s["backfills"];
  out << "<h2>Backfill</h2><p id=\"backfill\">" << html_escape(b.value("state", std::string()));
  if (b.contains("last_batch")) {
    const json& batch = b["last_batch"];
    out << ": <code>" << html_escape(text_of(batch.value("version", json()))) << "_" << html_escape(text_of(batch.value("name", json())))
        << "</code>, " << html_escape(text_of(batch.value("rows_total", json()))) << " rows changed";
    const json left = batch.value("estimated_rows_left", json(-1));
    if (left.is_number() && left.get<long long>() >= 0) out << ", ~" << left.get<long long>() << " left";
  }
  if (b.contains("error")) out << " &middot; " << html_escape(text_of(b["error"]));
  out << "</p>";
}

void workers_table(std::ostringstream& out, const json& s) {
  out << "<h2>Workers</h2>";
  const json workers = s.value("workers", json::object());
  if (workers.empty()) {
    out << "<p class=\"muted\">not started: they start once the schema is verified</p>";
    return;
  }
  out << "<table><tr><th>worker</th><th>state</th><th class=\"num\">restarts</th><th>last exit</th></tr>";
  for (const auto& [id, w] : workers.items()) {
    out << "<tr><td>" << html_escape(id) << "</td>" << cell(w["state"]) << "<td class=\"num\">" << text_of(w["restarts"])
        << "</td>" << cell(w.value("last_exit", json())) << "</tr>";
  }
  out << "</table>";
}

}  // namespace

void LiveStatus::update(const std::function<void(json&)>& change) {
  std::lock_guard<std::mutex> guard(mutex_);
  change(state_);
}

json LiveStatus::snapshot() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return state_;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_status_page(const json& s, bool ready) {
  std::ostringstream out;
  out << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"refresh\" content=\"2\"><meta name=\"viewport\" content=\"width=device-width\">"
         "<title>mig-start-prod: "
      << (ready ? "ready" : "not ready") << "</title><style>" << kStyle << "</style></head><body>";
  out << "<h1>mig-start-prod</h1><p class=\"muted\">database <code>" << html_escape(s.value("database", std::string("?")))
      << "</code> &middot; started " << html_escape(s.value("started_at", std::string())) << " UTC</p>";
  out << "<p id=\"state\">" << headline(s, ready) << "</p>";
  steps_table(out, s);
  migrations_table(out, s);
  backup_and_verification(out, s);
  backfill_section(out, s);
  workers_table(out, s);
  out << "<p class=\"muted\">refreshes every 2 s &middot; <a href=\"/ready\">/ready</a> &middot; "
         "<a href=\"/metrics\">/metrics</a></p></body></html>\n";
  return out.str();
}

}  // namespace mig
