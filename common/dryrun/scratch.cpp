#include "dryrun/scratch.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "pg/db.hpp"
#include "base/errors.hpp"
#include "base/log.hpp"
#include "engine/migration_set.hpp"
#include "pg/scratch_database.hpp"
#include "dryrun/schema.hpp"
#include "text/source_text.hpp"

namespace mig {
namespace {

using nlohmann::json;

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  return text;
}

ApplyOptions one_step(bool down) {
  ApplyOptions o;
  o.down = down;
  o.steps = 1;
  o.allow_out_of_order = true;
  return o;
}

}  // namespace

ScratchResult scratch_round_trip(MigratorContext& admin, const MigrationSet& set, const ScratchOptions& options) {
  drop_abandoned_scratch_databases(admin.db);
  ScratchDatabase scratch(admin.db, options.template_db);
  const std::string scratch_dsn = dsn_with_dbname(options.dsn, scratch.name());
  auto db = Database::connect(scratch_dsn, "mig-dryrun");
  MigratorContext ctx{*db, admin.table, admin.timeouts, [scratch_dsn] { return Database::connect(scratch_dsn, "mig-dryrun-watch"); },
                      nullptr};
  ctx.session_pooler = admin.session_pooler;
  ScratchResult result{{{"scratch_database", scratch.name()}, {"round_trip", json::array()}}, std::nullopt};

  // 1. Every migration from zero, the schema recorded before each.
  std::vector<std::vector<std::string>> before;
  for (std::size_t i = 0; i < set.migrations.size(); ++i) {
    before.push_back(round_trip_schema(*db, admin.table));
    migrate(ctx, set, one_step(false));
  }
  const std::vector<std::string> final_schema = describe_schema(*db, admin.table);
  result.data["schema_lines"] = final_schema.size();

  // 2. Newest first: down must restore the schema before its up; up must work again.
  for (std::size_t k = set.migrations.size(); options.round_trip && k-- > 0;) {
    const Migration& m = set.migrations[k];
    json step = {{"version", m.version}, {"name", m.name}};
    if (!m.down) {
      step["result"] = "no down migration: the round trip stops here";
      result.data["round_trip"].push_back(step);
      break;
    }
    {
      migrate(ctx, set, one_step(true));
      const auto diff = schema_diff(before[k], round_trip_schema(*db, admin.table));
      if (!diff.empty()) {
        step["result"] = "schema differs after down";
        step["diff"] = diff;
        result.data["round_trip"].push_back(step);
        result.failure = Error(ExitCode::migration_failed, "down_mismatch",
                               m.down->path + " does not restore the schema from before " + m.up.path + ":\n" + joined(diff));
        return result;
      }
      migrate(ctx, set, one_step(false));
      step["result"] = "ok";
    }
    result.data["round_trip"].push_back(step);
    migrate(ctx, set, one_step(true));  // walk down to the next one
  }

  // 3. The snapshot: write it, or compare with the committed one.
  if (options.schema_out) {
    std::ofstream out(*options.schema_out, std::ios::binary | std::ios::trunc);
    out << joined(final_schema);
    if (!out) throw invalid_input("unwritable", *options.schema_out + ": cannot write the schema");
  }
  if (options.compare) {
    const auto diff = schema_diff(read_schema_file(*options.compare), final_schema);
    result.data["schema_diff"] = diff;
    if (!diff.empty()) {
      result.failure = Error(ExitCode::check_failed, "schema_drift",
                             "the migrations produce a schema different from " + *options.compare + ":\n" + joined(diff));
    }
  }
  return result;
}

}  // namespace mig
