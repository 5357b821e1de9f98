#include "import/sources.hpp"

#include "import/file_formats.hpp"
#include "import/folder_formats.hpp"
#include "import/source_files.hpp"

namespace mig::importing {
namespace {

const std::pair<SourceFormat, const char*> kFormats[] = {
    {SourceFormat::golang_migrate, "golang-migrate"}, {SourceFormat::sqlx, "sqlx"},
    {SourceFormat::dbmate, "dbmate"},                 {SourceFormat::goose, "goose"},
    {SourceFormat::flyway, "flyway"},                 {SourceFormat::diesel, "diesel"},
    {SourceFormat::prisma, "prisma"},                 {SourceFormat::drizzle, "drizzle"},
    {SourceFormat::sqitch, "sqitch"},                 {SourceFormat::knex, "knex"},
    {SourceFormat::umzug, "umzug"}};

}  // namespace

bool is_javascript(SourceFormat format) { return format == SourceFormat::knex || format == SourceFormat::umzug; }

std::optional<SourceFormat> parse_source_format(const std::string& name) {
  for (const auto& [format, text] : kFormats) {
    if (name == text) return format;
  }
  return std::nullopt;
}

std::string format_name(SourceFormat format) {
  for (const auto& [f, text] : kFormats) {
    if (f == format) return text;
  }
  return "";
}

std::string format_names() {
  std::string out;
  for (const auto& [format, text] : kFormats) out += (out.empty() ? "" : ", ") + std::string(text);
  return out;
}

std::vector<ImportedMigration> read_source(const SourceOptions& o) {
  std::vector<ImportedMigration> set;
  switch (o.format) {
    case SourceFormat::golang_migrate: set = read_golang_migrate(o.dir); break;
    case SourceFormat::sqlx: set = read_sqlx(o.dir); break;
    case SourceFormat::dbmate: set = read_dbmate(o.dir); break;
    case SourceFormat::goose: set = read_goose(o.dir); break;
    case SourceFormat::flyway: set = read_flyway(o.dir, o.placeholders); break;
    case SourceFormat::diesel: set = read_diesel(o.dir); break;
    case SourceFormat::prisma: set = read_prisma(o.dir); break;
    case SourceFormat::drizzle: set = read_drizzle(o.dir); break;
    case SourceFormat::sqitch: set = read_sqitch(o.dir); break;
    case SourceFormat::knex:
    case SourceFormat::umzug:
      throw usage_error(format_name(o.format) + " migrations are JavaScript: mig-import baselines the live schema (give a DSN)");
  }
  if (set.empty()) throw cannot_convert(o.dir, "no " + format_name(o.format) + " migrations found");
  for (auto& m : set) keep_empty_as_no_op(m);
  if (o.format == SourceFormat::golang_migrate || o.format == SourceFormat::goose || o.format == SourceFormat::dbmate) {
    fill_missing_downs(set, o.format);
  }
  order_by_version(set);
  return set;
}

}  // namespace mig::importing
