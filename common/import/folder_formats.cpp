#include "import/folder_formats.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <sstream>

#include "import/source_files.hpp"
#include "text/sql.hpp"

namespace mig::importing {

// Diesel: <yyyy-mm-dd-hhmmss or digits>_<name>/up.sql, down.sql, metadata.toml
// (run_in_transaction = false). The version is its digits: Diesel records them so.
std::vector<ImportedMigration> read_diesel(const std::string& dir) {
  std::vector<ImportedMigration> set;
  for (const std::string& folder : entries(dir, true)) {
    const std::string path = dir + "/" + folder;
    const std::size_t sep = folder.find('_');
    std::string digits;
    for (char c : folder.substr(0, sep)) {
      if (c != '-') digits += c;
    }
    const auto vn = split_versioned(digits + folder.substr(sep == std::string::npos ? folder.size() : sep));
    if (sep == std::string::npos || !vn) throw cannot_convert(path, "not <version>_<name> (e.g. 2024-01-31-120000_create_users)");
    if (!is_file(path + "/up.sql")) throw cannot_convert(path, "no up.sql");
    ImportedMigration m;
    m.version = vn->version;
    m.name = mig_name(vn->name);
    m.up = read_text(path + "/up.sql");
    m.sources = {path + "/up.sql"};
    if (is_file(path + "/down.sql")) {
      m.down = read_text(path + "/down.sql");
      m.sources.push_back(path + "/down.sql");
    }
    m.history_key = vn->version;
    if (is_file(path + "/metadata.toml")) {
      std::string meta = read_text(path + "/metadata.toml");
      meta.erase(std::remove(meta.begin(), meta.end(), ' '), meta.end());
      if (meta.find("run_in_transaction=false") != std::string::npos) {
        m.no_transaction = true;
        m.why_no_transaction = "Diesel's run_in_transaction = false";
      }
    }
    mark_by_content(m);
    set.push_back(std::move(m));
  }
  return set;
}

// Prisma: <14-digit timestamp>_<name>/migration.sql (up only). The history names the folder.
std::vector<ImportedMigration> read_prisma(const std::string& dir) {
  std::vector<ImportedMigration> set;
  for (const std::string& folder : entries(dir, true)) {
    const std::string path = dir + "/" + folder;
    const auto vn = split_versioned(folder);
    if (!vn) throw cannot_convert(path, "not <timestamp>_<name>");
    if (!is_file(path + "/migration.sql")) throw cannot_convert(path, "no migration.sql");
    ImportedMigration m;
    m.version = vn->version;
    m.name = mig_name(vn->name);
    m.up = read_text(path + "/migration.sql");
    m.sources = {path + "/migration.sql"};
    m.history_key = folder;
    mark_by_content(m);
    set.push_back(std::move(m));
  }
  return set;
}

// Drizzle Kit: meta/_journal.json lists each <tag>.sql with `when` (ms since
// 1970), which the history records and which becomes the version. Its
// "--> statement-breakpoint" lines are comments to PostgreSQL and are kept.
std::vector<ImportedMigration> read_drizzle(const std::string& dir) {
  const std::string journal_path = dir + "/meta/_journal.json";
  if (!is_file(journal_path)) throw cannot_convert(journal_path, "missing: not a Drizzle Kit migrations folder");
  nlohmann::json journal;
  try {
    journal = nlohmann::json::parse(read_text(journal_path));
  } catch (const nlohmann::json::exception& e) {
    throw cannot_convert(journal_path, std::string("not JSON: ") + e.what());
  }
  const std::string dialect = journal.value("dialect", "postgresql");  // Drizzle Kit before 0.21 wrote "pg"
  if ((dialect != "postgresql" && dialect != "pg") || !journal.contains("entries") || !journal["entries"].is_array()) {
    throw cannot_convert(journal_path, "not a PostgreSQL journal with entries");
  }
  std::vector<ImportedMigration> set;
  for (const auto& entry : journal["entries"]) {
    if (!entry.contains("tag") || !entry["tag"].is_string() || !entry.contains("when") || !entry["when"].is_number_unsigned()) {
      throw cannot_convert(journal_path, "an entry without tag and when: " + entry.dump());
    }
    const std::string tag = entry["tag"].get<std::string>();
    const std::string path = dir + "/" + tag + ".sql";
    if (tag.find('/') != std::string::npos || !is_file(path)) throw cannot_convert(journal_path, "entry " + tag + ": no " + path);
    ImportedMigration m;
    m.version = std::to_string(entry["when"].get<unsigned long long>());
    const std::size_t sep = tag.find('_');
    m.name = mig_name(sep == std::string::npos ? tag : tag.substr(sep + 1));
    m.up = read_text(path);
    m.sources = {path};
    m.history_key = m.version;
    mark_by_content(m);
    set.push_back(std::move(m));
  }
  return set;
}

namespace {

// "2013-12-31T18:26:59Z" -> "20131231182659"
std::optional<std::string> plan_time_digits(const std::string& stamp) {
  std::string digits;
  for (char c : stamp) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  if (digits.size() != 14 || stamp.size() != 20 || stamp.back() != 'Z') return std::nullopt;
  return digits;
}

// A Sqitch verify script brackets itself in BEGIN ... ROLLBACK; mig runs verify
// scripts in a transaction it rolls back, so the brackets go.
std::string without_transaction_control(const std::string& text) {
  std::string out;
  std::size_t at = 0;
  for (const SqlStatement& s : scan_sql(text).sql.statements) {
    const std::string statement = text.substr(s.begin, s.end - s.begin);
    if (!is_transaction_control(statement)) continue;
    out += text.substr(at, s.begin - at);
    at = text.find(';', s.end);
    at = at == std::string::npos ? text.size() : at + 1;
  }
  return out + text.substr(at);
}

}  // namespace

namespace {

struct PlannedChange {
  std::string name;
  std::string planned;  // yyyymmddHHMMSS
  int line;
  std::string script;     // "name", or "name@TAG" for an instance reworked later
  std::string history_key;  // "name", "name#1" for its first rework, ...
};

// The plan's changes in order. A change reworked later keeps its older
// scripts as name@TAG.sql, TAG being the last tag before its rework (where
// `sqitch rework` copied them).
std::vector<PlannedChange> read_plan(const std::string& plan_path) {
  std::istringstream plan(read_text(plan_path));
  std::vector<PlannedChange> changes;
  std::map<std::string, int> seen;
  std::vector<std::pair<std::size_t, std::string>> tags;  // (changes before it, name)
  int line_no = 0;
  for (std::string line; std::getline(plan, line);) {
    ++line_no;
    if (line.empty() || line[0] == '%' || line[0] == '#') continue;
    std::istringstream words(line);
    std::string name, word;
    words >> name;
    if (name.empty()) continue;
    if (name[0] == '@') {
      tags.emplace_back(changes.size(), name.substr(1));
      continue;
    }
    std::optional<std::string> planned;
    while (!planned && words >> word) planned = plan_time_digits(word);
    if (!planned) throw cannot_convert(plan_path, "a change line without its planned time: " + line, line_no);
    if (name.find('/') != std::string::npos) throw cannot_convert(plan_path, "change " + name + ": a name with '/'", line_no);
    const int n = seen[name]++;
    changes.push_back({name, *planned, line_no, name, n == 0 ? name : name + "#" + std::to_string(n)});
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::size_t next = i + 1;
    while (next < changes.size() && changes[next].name != changes[i].name) ++next;
    if (next == changes.size()) continue;  // not reworked later
    std::optional<std::string> tag;
    for (const auto& [position, tag_name] : tags) {
      if (position > i && position <= next) tag = tag_name;
    }
    if (!tag) throw cannot_convert(plan_path, "change " + changes[i].name + " is reworked without a tag between", changes[next].line);
    changes[i].script = changes[i].name + "@" + *tag;
  }
  return changes;
}

// Versions keep the plan's order: the planned time, or one more than the
// version before it when the plan lists an earlier time later.
std::string next_version(const std::string& planned, const std::string& previous) {
  if (previous.empty() || std::stoull(planned) > std::stoull(previous)) return planned;
  return std::to_string(std::stoull(previous) + 1);
}

}  // namespace

// Sqitch: sqitch.plan names the changes in order ("name [deps] 2024-01-31T12:00:00Z
// planner <email> # note"); deploy/, revert/ and verify/ hold their scripts.
std::vector<ImportedMigration> read_sqitch(const std::string& dir) {
  const std::string plan_path = dir + "/sqitch.plan";
  if (!is_file(plan_path)) throw cannot_convert(plan_path, "missing: not a Sqitch project");
  std::vector<ImportedMigration> set;
  std::string previous;
  for (const PlannedChange& c : read_plan(plan_path)) {
    const std::string deploy = dir + "/deploy/" + c.script + ".sql";
    if (!is_file(deploy)) throw cannot_convert(plan_path, "change " + c.name + ": no " + deploy, c.line);
    ImportedMigration m;
    m.version = previous = next_version(c.planned, previous);
    m.name = mig_name(c.name);
    m.up = read_text(deploy);
    m.sources = {deploy};
    m.history_key = c.history_key;
    if (is_file(dir + "/revert/" + c.script + ".sql")) {
      m.down = read_text(dir + "/revert/" + c.script + ".sql");
      m.sources.push_back(dir + "/revert/" + c.script + ".sql");
    }
    // An instance reworked later is checked by the newer one's verify script: its own checks the old code.
    if (c.script == c.name && is_file(dir + "/verify/" + c.script + ".sql")) {
      m.verify = without_transaction_control(read_text(dir + "/verify/" + c.script + ".sql"));
      m.sources.push_back(dir + "/verify/" + c.script + ".sql");
    }
    mark_by_content(m);
    set.push_back(std::move(m));
  }
  return set;
}

}  // namespace mig::importing
