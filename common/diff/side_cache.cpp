#include "diff/side_cache.hpp"

#include <cstdio>
#include <ctime>

#include "base/errors.hpp"
#include "base/log.hpp"
#include "pg/db.hpp"
#include "pg/scratch_database.hpp"
#include "text/source_text.hpp"

namespace mig::diff {
namespace {

constexpr int kEntriesPerScope = 2;
constexpr int kEntriesOnServer = 32;
const std::string kPrefix = "mig_cache_";

// mig_cache_<kind letter>_<scope hash>_<inputs hash>: the first two parts say
// whose entry it is, so eviction stays within a kind and scope.
std::string scope_prefix(const SideInputs& inputs) {
  const std::string letter = inputs.kind.empty() ? "x" : inputs.kind.substr(0, 1);
  return kPrefix + letter + "_" + sha256_checksum(inputs.scope).substr(7, 8) + "_";
}

// "<unix seconds, 12 digits> mig-diff cache: ...": written when an entry is kept
// and again when it is used, so the comments sort by last use.
std::string used_now_comment(const std::string& kind) {
  char stamp[16];
  std::snprintf(stamp, sizeof stamp, "%012lld", static_cast<long long>(std::time(nullptr)));
  return std::string(stamp) + " mig-diff cache: the " + kind + " side, copied by the next run with the same inputs";
}

std::string like_escaped(const std::string& prefix) {
  std::string out;
  for (char c : prefix) out += c == '_' ? std::string("\\_") : std::string(1, c);
  return out;
}

}  // namespace

SideCache::SideCache(Database& admin, bool enabled) : admin_(admin), enabled_(enabled) {
  if (!enabled_) return;
  const QueryResult r = admin_.query(
      "SELECT current_setting('server_version_num') || '/' || current_user || '/' || current_setting('search_path')");
  identity_ = r.scalar().value_or("");
}

std::string SideCache::name_for(const SideInputs& inputs) const {
  std::string material = "mig-diff side cache 1\n" + identity_ + "\n" + inputs.kind;
  for (const std::string& part : inputs.parts) material += "\n" + part;
  return scope_prefix(inputs) + sha256_checksum(material).substr(7, 16);
}

std::optional<std::string> SideCache::find(const SideInputs& inputs) {
  if (!enabled_) return std::nullopt;
  const std::string name = name_for(inputs);
  const QueryResult r = admin_.query("SELECT datallowconn FROM pg_database WHERE datname = " + admin_.literal(name));
  state_ = r.rows.empty() ? "miss" : "hit";
  if (r.rows.empty()) return std::nullopt;
  log::debug("side cache hit: ", name);
  try {  // marks it used; another run may have dropped it a moment ago: then it is a miss
    admin_.query("COMMENT ON DATABASE " + admin_.identifier(name) + " IS " + admin_.literal(used_now_comment(inputs.kind)));
    // An entry kept before replays ran in place refuses connections: allow them.
    if (r.scalar() == std::optional<std::string>("f")) admin_.query("ALTER DATABASE " + admin_.identifier(name) + " ALLOW_CONNECTIONS true");
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    state_ = "miss";
    return std::nullopt;
  }
  return name;
}

// One entry that cannot go (someone connected to it, or made it a template by
// hand) neither stops the others from going nor fails the keep.
void SideCache::evict(const std::string& entry) {
  try {
    admin_.query("DROP DATABASE IF EXISTS " + admin_.identifier(entry));
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    log::info("could not drop the old side cache entry ", entry, ": ", server_message_line(e.what()));
  }
}

void SideCache::keep(const SideInputs& inputs, const std::string& scratch) {
  if (!enabled_) return;
  const std::string name = name_for(inputs);
  try {
    wait_for_sessions_to_leave(admin_, scratch);  // the side was just built and read
    // One statement: the entry exists whole or not at all.
    admin_.query("CREATE DATABASE " + admin_.identifier(name) + " TEMPLATE " + admin_.identifier(scratch) +
                 (admin_.server_version() >= 150000 ? " STRATEGY FILE_COPY" : ""));
    admin_.query("COMMENT ON DATABASE " + admin_.identifier(name) + " IS " + admin_.literal(used_now_comment(inputs.kind)));
    const auto older_than_newest = [&](const std::string& prefix, int keep) {
      return "(SELECT datname FROM pg_database WHERE datname LIKE " + admin_.literal(like_escaped(prefix) + "%") +
             " ORDER BY shobj_description(oid, 'pg_database') DESC NULLS LAST, oid DESC OFFSET " + std::to_string(keep) + ")";
    };
    const QueryResult old = admin_.query(older_than_newest(scope_prefix(inputs), kEntriesPerScope) + " UNION " +
                                         older_than_newest(kPrefix, kEntriesOnServer));
    for (const Row& row : old.rows) evict(row[0].value_or(""));
  } catch (const Error& e) {
    if (e.code() == ExitCode::database_unreachable) throw;
    // 42P04: another run kept the same side first. Anything else: no cache this time.
    if (e.sqlstate() != "42P04") log::info("could not keep the built side for the next run: ", server_message_line(e.what()));
  }
}

}  // namespace mig::diff
