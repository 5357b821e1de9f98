// The scratch round trip: in a temporary database, apply every migration from
// zero, then for each from the newest down: revert it, compare the schema with
// the one before its up, and apply it again. Also the schema snapshot check.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/errors.hpp"
#include "engine/migrator.hpp"

namespace mig {

struct MigrationSet;

struct ScratchOptions {
  std::string dsn;                              // where to create the scratch database
  std::optional<std::string> template_db;       // --scratch-template
  std::optional<std::string> schema_out;        // write the final schema here
  std::optional<std::string> compare;           // fail (exit 1) when the final schema differs from this file
  bool round_trip = true;
};

struct ScratchResult {
  nlohmann::json data;
  std::optional<Error> failure;
};

// `admin` is a connection to the server the scratch database is made on; it is
// dropped at the end, also on failure, and leftovers of killed runs are removed.
ScratchResult scratch_round_trip(MigratorContext& admin, const MigrationSet& set, const ScratchOptions& options);

}  // namespace mig
