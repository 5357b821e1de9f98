// Migration folders of other tools, read into mig's terms: version, name, up,
// down, verify, and whether it runs outside a transaction. Whatever cannot be
// converted faithfully is an error naming the file and why (exit 3).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mig::importing {

enum class SourceFormat { golang_migrate, sqlx, dbmate, goose, flyway, diesel, prisma, drizzle, sqitch, knex, umzug };

// Knex and Umzug (Sequelize) migrations are JavaScript: no file can be
// converted; mig-import baselines the live schema instead (import/js_baseline).
bool is_javascript(SourceFormat format);

std::optional<SourceFormat> parse_source_format(const std::string& name);
std::string format_name(SourceFormat format);
std::string format_names();  // "golang-migrate, sqlx, ..." for --help and errors

struct ImportedMigration {
  std::string version;  // digits, mig's ordering
  std::string name;     // [A-Za-z0-9_-]+
  std::string up;
  std::optional<std::string> down, verify;
  bool no_transaction = false;       // the up file runs outside a transaction
  std::string why_no_transaction;   // the source's opt-out, or the statements that need it
  bool down_no_transaction = false;  // the same for the down file
  std::vector<std::string> sources;  // the files it came from
  std::string history_key;           // how the source tool's history names it
  // A repeatable migration (Flyway's R__ files): written as <name>.repeatable.sql,
  // `version` is its mig history key; `source_checksum` is what the source
  // tool records for the file as it is now (Flyway's CRC32), to tell whether
  // the applied text is this one.
  bool repeatable = false;
  std::optional<long long> source_checksum;
};

struct SourceOptions {
  SourceFormat format = SourceFormat::golang_migrate;
  std::string dir;
  std::map<std::string, std::string> placeholders;  // Flyway ${name} values
};

// In mig's order (by version). Throws mig::Error exit 3 naming the file.
std::vector<ImportedMigration> read_source(const SourceOptions& options);

}  // namespace mig::importing
