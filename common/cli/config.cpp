#include "cli/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "base/errors.hpp"
#include "text/source_text.hpp"

namespace mig {
namespace {

// A misspelt key would be silently ignored: name it instead.
void require_known_keys(const nlohmann::json& config, const std::string& path) {
  static const char* const kKeys[] = {"dsn",          "dir",     "schema",     "table",     "lock_wait",
                                      "lock_timeout", "statement_timeout", "retries", "backup_dir", "lint",
                                      "schema_dir", "seeds_dir", "batch_time", "max_replica_lag",
                                      "max_rows_per_second", "session_pooler", "allow_breaking_migrations"};
  for (const auto& item : config.items()) {
    if (std::none_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return item.key() == k; })) {
      std::string known;
      for (const char* k : kKeys) known += (known.empty() ? "" : ", ") + std::string(k);
      throw invalid_input("bad_config", path + ": unknown key \"" + item.key() + "\" (known: " + known + ")");
    }
  }
}

nlohmann::json read_config_file(const ConfigFlags& flags) {
  const std::string path = flags.config_file.value_or("mig.json");
  if (!flags.config_file && !std::filesystem::exists(path)) return nlohmann::json::object();
  std::string text;
  try {
    text = read_file_bytes(path);
  } catch (const Error&) {
    throw invalid_input("bad_config", path + ": cannot read the config file");
  }
  try {
    nlohmann::json parsed = nlohmann::json::parse(text);
    if (!parsed.is_object()) throw invalid_input("bad_config", path + ": expected a JSON object");
    require_known_keys(parsed, path);
    return parsed;
  } catch (const nlohmann::json::parse_error& e) {
    throw invalid_input("bad_config", path + ": not valid JSON (" + std::string(e.what()) + ")");
  }
}

std::optional<std::string> from_env(const char* name) {
  const char* value = std::getenv(name);
  if (value && *value) return std::string(value);
  return std::nullopt;
}

// A setting's value and where it came from, for error messages.
struct Setting {
  std::string value;
  std::string source;  // "--lock-wait", "MIG_LOCK_WAIT" or "mig.json \"lock_wait\""
};

// flag > environment variable > mig.json key.
std::optional<Setting> pick(const std::optional<std::string>& flag, const char* env, const Config& c, const char* key) {
  std::string flag_name = std::string("--") + key;
  for (char& ch : flag_name) ch = ch == '_' ? '-' : ch;
  if (flag) return Setting{*flag, flag_name};
  if (auto v = from_env(env)) return Setting{*v, env};
  if (auto v = file_setting(c, key)) return Setting{*v, "mig.json \"" + std::string(key) + "\""};
  return std::nullopt;
}

int parse_count(const std::string& text, const std::string& what) {
  try {
    std::size_t used = 0;
    const int n = std::stoi(text, &used);
    if (used == text.size() && n >= 0) return n;
  } catch (const std::exception&) {
  }
  throw usage_error(what + ": '" + text + "' is not a non-negative whole number");
}

bool parse_switch(const std::string& text, const std::string& what) {
  if (text == "1" || text == "true") return true;
  if (text == "0" || text == "false") return false;
  throw usage_error(what + ": '" + text + "' is not true, false, 1 or 0");
}

}  // namespace

std::optional<std::string> file_setting(const Config& config, const std::string& key) {
  auto it = config.file.find(key);
  if (it == config.file.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number() || it->is_boolean()) return it->dump();
  throw invalid_input("bad_config", "mig.json: \"" + key + "\" must be a string or a number");
}

Config resolve_config(const ConfigFlags& flags) {
  Config c;
  c.file = read_config_file(flags);
  if (auto v = pick(flags.dsn, "DATABASE_URL", c, "dsn")) c.dsn = v->value;
  if (auto v = pick(flags.dir, "MIG_DIR", c, "dir")) c.dir = v->value;
  if (auto v = pick(flags.schema, "MIG_SCHEMA", c, "schema")) c.table.schema = v->value;
  if (auto v = pick(flags.table, "MIG_TABLE", c, "table")) c.table.table = v->value;
  if (auto v = pick(flags.lock_wait, "MIG_LOCK_WAIT", c, "lock_wait")) c.timeouts.lock_wait = parse_duration(v->value, v->source);
  if (auto v = pick(flags.lock_timeout, "MIG_LOCK_TIMEOUT", c, "lock_timeout")) {
    c.timeouts.lock_timeout = parse_duration(v->value, v->source);
  }
  if (auto v = pick(flags.statement_timeout, "MIG_STATEMENT_TIMEOUT", c, "statement_timeout")) {
    c.timeouts.statement_timeout = parse_duration(v->value, v->source);
  }
  if (auto v = pick(flags.retries, "MIG_RETRIES", c, "retries")) c.timeouts.retries = parse_count(v->value, v->source);
  if (auto v = pick(flags.schema_dir, "MIG_SCHEMA_DIR", c, "schema_dir")) c.schema_dir = v->value;
  if (auto v = pick(flags.backup_dir, "MIG_BACKUP_DIR", c, "backup_dir")) c.backup_dir = v->value;
  if (auto v = pick(flags.seeds_dir, "MIG_SEEDS_DIR", c, "seeds_dir")) c.seeds_dir = v->value;
  if (auto v = pick(flags.batch_time, "MIG_BATCH_TIME", c, "batch_time")) {
    c.backfill.batch_time = parse_duration(v->value, v->source);
    if (c.backfill.batch_time->count() <= 0) throw usage_error(v->source + ": must be above 0");
  }
  if (auto v = pick(flags.max_replica_lag, "MIG_MAX_REPLICA_LAG", c, "max_replica_lag")) {
    c.backfill.max_replica_lag = parse_duration(v->value, v->source);
  }
  if (auto v = pick(flags.max_rows_per_second, "MIG_MAX_ROWS_PER_SECOND", c, "max_rows_per_second")) {
    const int n = parse_count(v->value, v->source);
    if (n < 1) throw usage_error(v->source + ": '" + v->value + "' must be at least 1");
    c.backfill.max_rows_per_second = n;
  }
  if (auto v = pick(std::nullopt, "MIG_SESSION_POOLER", c, "session_pooler")) {
    c.session_pooler = parse_switch(v->value, v->source);
  }
  if (auto v = pick(std::nullopt, "ALLOW_BREAKING_MIGRATIONS", c, "allow_breaking_migrations")) {
    c.allow_breaking_migrations = parse_switch(v->value, v->source);
  }
  if (c.table.schema.empty() || c.table.table.empty()) throw usage_error("--schema and --table must not be empty");
  return c;
}

}  // namespace mig
