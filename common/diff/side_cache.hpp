// Built sides kept on the server between mig-diff runs. The schema the
// migrations produce (or a live database's rebuild) is kept as a database
// named for what built it: the next run with the same inputs copies it with
// one CREATE DATABASE ... TEMPLATE instead of replaying the SQL. Any change to
// the inputs changes the name, so a stale side is never served; a copy is
// made only from a finished build, in one CREATE DATABASE, so a killed run
// leaves no half-built entry.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace mig {
class Database;
}

namespace mig::diff {

// What a side is built from: its kind and every input that changes its result.
struct SideInputs {
  std::string kind;                  // "migrations" or "live"
  std::string scope;                 // whose entries these are: the migrations folder, or the live database
  std::vector<std::string> parts;    // checksums, versions, settings: in a fixed order
};

class SideCache {
 public:
  // Disabled (--no-cache), find never hits and keep keeps nothing.
  SideCache(Database& admin, bool enabled);

  // "hit", "miss" or "off": what the last find said, for the result document.
  const std::string& state() const { return state_; }
  // The entry found could not be copied after all: the side was built instead.
  void copy_failed() { state_ = "miss"; }

  // The cache database for these inputs, when there is one.
  std::optional<std::string> find(const SideInputs& inputs);
  // Keeps a copy of `scratch` (nobody may be connected to it) for these
  // inputs. The newest two entries of a kind and scope stay (an edit undone
  // finds its side again), and at most 32 on the server.
  // Failing to keep is logged, never fatal: the run has its result already.
  void keep(const SideInputs& inputs, const std::string& scratch);

 private:
  std::string name_for(const SideInputs& inputs) const;
  void evict(const std::string& entry);
  Database& admin_;
  bool enabled_;
  std::string identity_;  // server version, user, search_path: part of every key
  std::string state_ = "off";
};

}  // namespace mig::diff
