// Readers of the formats that keep a migration in a folder of its own (Diesel,
// Prisma) or list them in a manifest (Drizzle Kit's journal, Sqitch's plan).
#pragma once
#include <string>
#include <vector>

#include "import/sources.hpp"

namespace mig::importing {

std::vector<ImportedMigration> read_diesel(const std::string& dir);
std::vector<ImportedMigration> read_prisma(const std::string& dir);
std::vector<ImportedMigration> read_drizzle(const std::string& dir);
std::vector<ImportedMigration> read_sqitch(const std::string& dir);

}  // namespace mig::importing
