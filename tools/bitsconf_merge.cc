// bitsconf_merge.cc: `bitsconf merge`, the results files of the shards of one run as one.
#include <iostream>
#include <set>

#include "results/manifest.h"
#include "results/output_file.h"
#include "results/results.h"
#include "tools/bitsconf.h"

namespace bc {

namespace {

// The shards of one run: one run info, the union of the outcomes, the verdicts recomputed with
// the manifest the shards carried (rebuilt from their rules' manifest fields).
int mergeCommand(const std::vector<std::string>& inputs, const std::string& outPath) {
  std::vector<Results> shards;
  for (const auto& path : inputs) {
    auto r = readResultsFile(path);
    if (!r.ok()) return std::cerr << "bitsconf merge: " << r.message() << "\n", kExitInput;
    shards.push_back(std::move(r).value());
  }
  Results merged;
  merged.run = shards.front().run;
  merged.run.shard.clear();
  merged.complete = true;
  Manifest manifest;
  manifest.path = merged.run.manifest;
  std::set<std::string> seenScenarios, seenProperties, seenNotes;
  for (const auto& s : shards) {
    if (s.run.sutSpec != merged.run.sutSpec || s.run.seed != merged.run.seed)
      std::cerr << "bitsconf merge: warning: " << s.run.sutSpec << " seed " << s.run.seed
                << " differs from the first input; merging anyway\n";
    merged.complete = merged.complete && s.complete;
    for (const auto& o : s.scenarios)
      if (seenScenarios.insert(o.path).second) merged.scenarios.push_back(o);
    for (const auto& p : s.properties)
      if (seenProperties.insert(p.name + "#" + std::to_string(p.chunk)).second) merged.properties.push_back(p);
    for (const auto& n : s.notes)
      if (n.rfind("fixed: ", 0) != 0 && seenNotes.insert(n).second) merged.notes.push_back(n);
    for (const auto& e : s.inputErrors)
      if (seenNotes.insert(e).second) merged.inputErrors.push_back(e);
    for (const auto& r : s.rules)
      if (!r.manifestReason.empty() && !manifest.find(r.id)) manifest.entries.push_back({r.id, r.manifestReason, r.manifestLink});
    for (const auto& o : s.scenarios)
      if (!o.manifestReason.empty() && !manifest.findScenario(o.path))
        manifest.entries.push_back({"", o.manifestReason, o.manifestLink, o.path, ""});
    for (const auto& p : s.properties)
      if (!p.manifestReason.empty() && !manifest.findProperty(p.name))
        manifest.entries.push_back({"", p.manifestReason, p.manifestLink, "", p.name});
    // Suite strength: coverage is the union of the shards' exercised transitions; the mutation
    // score is run by one shard only.
    if (auto note = mergeCoverage(merged.coverage, s.coverage); note && seenNotes.insert(*note).second)
      merged.notes.push_back(*note);
    if (!merged.mutation.present && s.mutation.present) merged.mutation = s.mutation;
  }
  std::sort(merged.scenarios.begin(), merged.scenarios.end(), [](auto& a, auto& b) { return a.path < b.path; });
  std::sort(merged.properties.begin(), merged.properties.end(),
            [](auto& a, auto& b) { return std::tie(a.name, a.chunk) < std::tie(b.name, b.chunk); });
  computeRuleVerdicts(merged, manifest.entries.empty() ? nullptr : &manifest);
  if (Status written = writeResultsFile(merged, outPath); !written.ok())
    return std::cerr << "bitsconf merge: " << written.message() << "\n", kExitInput;
  std::cerr << "bitsconf merge: " << shards.size() << " files, " << merged.scenarios.size() << " scenarios, "
            << merged.properties.size() << " property runs -> " << outPath << "\n";
  return runVerdict(merged).exitCode;  // as the unsharded run would have exited
}

}  // namespace

void addMergeCommand(CLI::App& app, Action& action) {
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>("results.json");
  CLI::App* cmd = app.add_subcommand("merge", "Combine the results files of the shards of one run");
  cmd->add_option("inputs", *inputs, "shard results files")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", *out, "the merged results file")->capture_default_str();
  cmd->callback([&action, inputs, out] { action = [inputs, out] { return mergeCommand(*inputs, *out); }; });
}

}  // namespace bc
