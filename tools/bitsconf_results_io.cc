// bitsconf merge / report / diff: subcommands over results files.
#include <fstream>
#include <iostream>
#include <set>

#include "reports/diff.h"
#include "reports/manifest.h"
#include "reports/output_file.h"
#include "reports/render.h"
#include "reports/results.h"
#include "tools/bitsconf.h"

namespace bc {

namespace {

std::vector<Results> readAll(const std::vector<std::string>& paths) {
  std::vector<Results> out;
  for (const auto& p : paths) out.push_back(readResultsFile(p));
  return out;
}

// Reports are replaced like results files (reports/output_file.h): never half-written, never
// through a device or a planted temporary file.
void writeText(const std::string& path, const std::string& text) { replaceFile(path, text); }

// The shards of one run: one run info, the union of the outcomes, the verdicts recomputed with
// the manifest the shards carried (rebuilt from their rules' manifest fields).
int mergeCommand(const std::vector<std::string>& inputs, const std::string& outPath) {
  std::vector<Results> shards;
  try {
    shards = readAll(inputs);
  } catch (const ResultsError& e) {
    std::cerr << "bitsconf merge: " << e.what() << "\n";
    return kExitInput;
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
  writeResultsFile(merged, outPath);
  std::cerr << "bitsconf merge: " << shards.size() << " files, " << merged.scenarios.size() << " scenarios, "
            << merged.properties.size() << " property runs -> " << outPath << "\n";
  return runVerdict(merged).exitCode;  // as the unsharded run would have exited
}

int reportCommand(const std::vector<std::string>& inputs, const std::string& html, const std::string& markdown,
                  const std::string& junit) {
  std::vector<Results> runs;
  try {
    runs = readAll(inputs);
  } catch (const ResultsError& e) {
    std::cerr << "bitsconf report: " << e.what() << "\n";
    return kExitInput;
  }
  if (!html.empty()) writeText(html, renderHtml(runs));
  if (!markdown.empty()) writeText(markdown, renderMarkdown(runs));
  if (!junit.empty()) writeText(junit, renderJunit(runs));
  if (html.empty() && markdown.empty() && junit.empty()) std::cout << renderMarkdown(runs);
  return kExitOk;
}

int diffCommand(const std::string& baseline, const std::string& current, bool asJson) {
  Results base, cur;
  try {
    base = readResultsFile(baseline);
    cur = readResultsFile(current);
  } catch (const ResultsError& e) {
    std::cerr << "bitsconf diff: " << e.what() << "\n";
    return kExitInput;
  }
  ResultsDiff d = diffResults(base, cur);
  if (asJson) std::cout << diffToJson(d).dump(2) << "\n";
  else std::cout << formatDiff(d);
  return d.exitCode();
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

void addReportCommand(CLI::App& app, Action& action) {
  struct Opts { std::vector<std::string> inputs; std::string html, markdown, junit; };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Render results files (several side by side: model, mock, Wine, Windows); Markdown to stdout by default");
  cmd->add_option("inputs", o->inputs, "results files")->required()->check(CLI::ExistingFile);
  cmd->add_option("--html", o->html, "write a self-contained HTML page");
  cmd->add_option("--markdown", o->markdown, "write Markdown");
  cmd->add_option("--junit", o->junit, "write JUnit XML (one testcase per rule)");
  cmd->callback([&action, o] { action = [o] { return reportCommand(o->inputs, o->html, o->markdown, o->junit); }; });
}

void addDiffCommand(CLI::App& app, Action& action) {
  struct Opts { std::string baseline, current; bool json = false; };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "Compare a baseline results file with the current one, check by check; exit 1 on any new failing check");
  cmd->add_option("baseline", o->baseline, "the baseline results file")->required()->check(CLI::ExistingFile);
  cmd->add_option("current", o->current, "the current results file")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--json", o->json, "print the diff as JSON (schema bitsconform-diff/1, reports/SCHEMA.md)");
  cmd->callback([&action, o] { action = [o] { return diffCommand(o->baseline, o->current, o->json); }; });
}

}  // namespace bc
