// Pipes (CONTRACT §6): the result documents of the tools before this one.
#pragma once
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mig {

// Reads FILE (or "-" for stdin): every line that is a mig result document;
// event lines and other text are skipped. Exit 3 if none is found.
std::vector<nlohmann::json> read_upstream(const std::string& source);

// Every mig result document among the lines of `in` (event lines and other
// text skipped), in order; none is no error here.
std::vector<nlohmann::json> result_documents_in(std::istream& in);

// The same from a stream already opened; `source` names it in the error.
std::vector<nlohmann::json> parse_upstream(std::istream& in, const std::string& source);

// Every document and the ones each carried, oldest first, without nesting.
nlohmann::json flatten_upstream(const std::vector<nlohmann::json>& documents);

// Throws upstream_failed with the failed document's exit code.
void require_upstream_ok(const std::vector<nlohmann::json>& documents);

// The newest document from `tool` (searching carried documents too).
std::optional<nlohmann::json> upstream_from(const std::vector<nlohmann::json>& documents, const std::string& tool);

}  // namespace mig
