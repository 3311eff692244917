// manifest.h: the expected failures of one implementation (reports/expectations/*.json).
//
// Each entry names a rule ID, why it fails there and a link (bug tracker, doc). A listed failure
// is "expected-fail"; an unlisted failure fails the run; a listed rule that passes is "fixed".
// Format: {"implementation": "wine", "expected_failures": [{"rule": "REG-3", "reason": "...",
// "link": "..."}]}. Unknown rule IDs are an error (a typo must not hide a failure).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bc {

struct ManifestEntry {
  std::string rule;
  std::string reason;
  std::string link;
};

struct Manifest {
  std::string implementation;
  std::string path;
  std::vector<ManifestEntry> entries;
  const ManifestEntry* find(std::string_view rule) const;
};

// Throws std::runtime_error naming the file and the problem.
Manifest parseManifest(const std::string& text, const std::string& path);
Manifest loadManifest(const std::string& path);

}  // namespace bc
