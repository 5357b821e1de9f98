// A backup's manifest: <id>.json beside the dump. It names every file with
// its size and SHA-256 and is sealed with the SHA-256 of its own content.
// It never holds a credential.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mig {

// Adds "manifest_sha256": the SHA-256 of the manifest serialised without it.
nlohmann::json seal_manifest(nlohmann::json manifest);
bool manifest_seal_intact(const nlohmann::json& manifest);

// Reads and parses a manifest; throws mig::Error (exit 8) when unreadable.
nlohmann::json read_manifest(const std::string& path);

// The manifests in a backup folder, oldest id first, and the .json files
// there that cannot be read as one (corrupt: reported, never deleted).
struct ManifestScan {
  std::vector<nlohmann::json> manifests;
  std::vector<std::string> corrupt;  // "path: why"
};
ManifestScan manifests_in(const std::string& dir);

}  // namespace mig
