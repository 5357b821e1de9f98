// Readers of the formats that keep a migration in one or two files of one folder.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "import/sources.hpp"

namespace mig::importing {

std::vector<ImportedMigration> read_golang_migrate(const std::string& dir);
std::vector<ImportedMigration> read_sqlx(const std::string& dir);
std::vector<ImportedMigration> read_dbmate(const std::string& dir);
std::vector<ImportedMigration> read_goose(const std::string& dir);
// Flyway's checksum of a file (what flyway_schema_history.checksum holds): CRC32
// of its lines without their endings, after a BOM, as a signed 32-bit number.
int flyway_checksum(const std::string& text);
std::vector<ImportedMigration> read_flyway(const std::string& dir, const std::map<std::string, std::string>& placeholders);

}  // namespace mig::importing
