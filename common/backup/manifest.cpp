#include "backup/manifest.hpp"

#include <algorithm>
#include <filesystem>

#include "base/errors.hpp"
#include "text/source_text.hpp"

namespace fs = std::filesystem;

namespace mig {

nlohmann::json seal_manifest(nlohmann::json manifest) {
  manifest.erase("manifest_sha256");
  manifest["manifest_sha256"] = sha256_checksum(manifest.dump());
  return manifest;
}

bool manifest_seal_intact(const nlohmann::json& manifest) {
  if (!manifest.is_object() || !manifest.contains("manifest_sha256")) return false;
  nlohmann::json content = manifest;
  content.erase("manifest_sha256");
  return manifest["manifest_sha256"] == sha256_checksum(content.dump());
}

nlohmann::json read_manifest(const std::string& path) {
  std::string text;
  try {
    text = read_file_bytes(path);
  } catch (const Error&) {
    throw Error(ExitCode::external_failed, "backup_damaged", path + ": cannot read the manifest");
  }
  nlohmann::json manifest = nlohmann::json::parse(text, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object()) {
    throw Error(ExitCode::external_failed, "backup_damaged", path + ": the manifest is not valid JSON");
  }
  return manifest;
}

ManifestScan manifests_in(const std::string& dir) {
  ManifestScan scan;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || entry.path().extension() != ".json") continue;
    try {
      nlohmann::json m = read_manifest(entry.path().string());
      if (!m.contains("id") || !m["id"].is_string()) throw Error(ExitCode::external_failed, "backup_damaged", entry.path().string() + ": no id");
      if (!manifest_seal_intact(m)) throw Error(ExitCode::external_failed, "backup_damaged", entry.path().string() + ": its seal does not match its content");
      scan.manifests.push_back(std::move(m));
    } catch (const Error& e) {
      scan.corrupt.push_back(e.what());
    }
  }
  std::sort(scan.manifests.begin(), scan.manifests.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["id"].get<std::string>() < b["id"].get<std::string>();
  });
  std::sort(scan.corrupt.begin(), scan.corrupt.end());
  return scan;
}

}  // namespace mig
