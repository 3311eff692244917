// scenario.cc: parsing, loading and writing .scenario files (FORMAT.md).
#include "scenarios/scenario.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/policy.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"
#include "vocab/utf8.h"

namespace bc {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// The column (1-based) of the first non-blank character of `line`, or 0 if it is all blank.
int firstColumn(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i)
    if (!isBlank(line[i])) return static_cast<int>(i) + 1;
  return 0;
}

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && (isBlank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

struct Word {
  std::string_view text;
  int column;  // 1-based, in the line
};

// The blank-separated words of `s`, whose first character is at column `base` of the line.
std::vector<Word> words(std::string_view s, int base) {
  std::vector<Word> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && isBlank(s[i])) ++i;
    size_t start = i;
    while (i < s.size() && !isBlank(s[i])) ++i;
    if (i > start) out.push_back({s.substr(start, i - start), base + static_cast<int>(start)});
  }
  return out;
}

// A header line is "key: value" where key is a lower-case word; steps never look like that.
bool looksLikeHeader(std::string_view body, std::string_view& key) {
  size_t i = 0;
  while (i < body.size() && ((body[i] >= 'a' && body[i] <= 'z') || body[i] == '-' || body[i] == '_')) ++i;
  if (i == 0 || i >= body.size() || body[i] != ':') return false;
  key = body.substr(0, i);
  return true;
}

std::string versionList() {
  std::string s;
  for (int v = 0; v <= static_cast<int>(kNewestBits); ++v) {
    if (!s.empty()) s += ", ";
    s += toString(static_cast<BitsVersion>(v));
  }
  return s;
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& path) : text_(text) { s_.path = path; }

  Expected<Scenario> run() {
    int lineNo = 0;
    size_t pos = 0;
    while (pos <= text_.size()) {
      size_t nl = text_.find('\n', pos);
      std::string_view line = text_.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      ++lineNo;
      parseLine(trimRight(line), lineNo);
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    if (s_.title.empty() && !sawTitle_) error(1, 1, "missing 'scenario:' line (every scenario needs a title)");
    if (!sawRules_) error(1, 1, "missing 'rules:' line (the rule IDs the scenario covers, e.g. 'rules: REG-8')");
    if (s_.steps.empty() && diags_.empty()) error(1, 1, "the scenario has no steps");
    if (!diags_.empty()) return diags_;
    return s_;
  }

 private:
  // A message may quote the file's bytes: it is kept as valid UTF-8 (FORMAT.md).
  void error(int line, int column, std::string message) {
    diags_.push_back(Error{s_.path, line, column, sanitizeUtf8(message)});
  }

  void parseLine(std::string_view line, int lineNo) {
    int col = firstColumn(line);
    if (col == 0) return;  // blank
    std::string_view body = line.substr(col - 1);
    if (body[0] == '#') return;  // comment
    std::string_view key;
    if (body.substr(0, 6) == "expect" && (body.size() == 6 || isBlank(body[6]))) {
      parseExpect(body.substr(6), col + 6, lineNo, col);
    } else if (looksLikeHeader(body, key)) {
      if (!s_.steps.empty()) {
        error(lineNo, col, "header line '" + std::string(key) + ":' after the first step (headers come first)");
        return;
      }
      parseHeader(key, body.substr(key.size() + 1), col + static_cast<int>(key.size()) + 1, lineNo, col);
    } else if (col > 1) {
      error(lineNo, col, "an indented line must be an 'expect' line");
    } else {
      parseStep(body, col, lineNo);
    }
  }

  void parseHeader(std::string_view key, std::string_view value, int valueCol, int lineNo, int keyCol) {
    std::vector<Word> ws = words(value, valueCol);
    auto once = [&](bool& seen) {
      if (seen) {
        error(lineNo, keyCol, "duplicate '" + std::string(key) + ":' line");
        return false;
      }
      seen = true;
      return true;
    };
    auto restOfLine = [&]() -> std::string {
      if (ws.empty()) return "";
      std::string_view v = value.substr(ws.front().column - valueCol);
      return sanitizeUtf8(v);
    };
    if (key == "scenario") {
      if (!once(sawTitle_)) return;
      s_.title = restOfLine();
      if (s_.title.empty()) error(lineNo, valueCol, "empty title after 'scenario:'");
    } else if (key == "rules") {
      if (!once(sawRules_)) return;
      if (ws.empty()) error(lineNo, valueCol, "'rules:' needs at least one rule ID (e.g. REG-8)");
      for (const Word& w : ws) {
        std::string_view id = w.text;
        if (!id.empty() && id.back() == ',') id.remove_suffix(1);  // "REG-8, CB-14" reads naturally too
        if (auto r = parseRule(id)) {
          if (std::find(s_.rules.begin(), s_.rules.end(), *r) == s_.rules.end()) s_.rules.push_back(*r);
        } else {
          error(lineNo, w.column, "unknown rule ID '" + std::string(id) + "'");
        }
      }
    } else if (key == "version") {
      if (!once(sawVersion_)) return;
      if (ws.size() != 1) {
        error(lineNo, ws.empty() ? valueCol : ws[1].column,
              ws.empty() ? "'version:' needs a BITS version (" + versionList() + ")"
                         : "unexpected '" + std::string(ws[1].text) + "' after the version");
        return;
      }
      if (auto v = parseBitsVersion(ws[0].text)) {
        s_.config.version = *v;
        s_.versionPinned = true;
      } else
        error(lineNo, ws[0].column, "bad version '" + std::string(ws[0].text) + "' (expected one of " + versionList() + ")");
    } else if (key == "policy") {
      if (ws.empty()) error(lineNo, valueCol, "'policy:' needs KEY=VALUE (e.g. OQ-7b=alt)");
      for (const Word& w : ws) {
        size_t eq = w.text.find('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == w.text.size()) {
          error(lineNo, w.column, "bad policy '" + std::string(w.text) + "' (expected KEY=VALUE, e.g. OQ-7b=alt)");
          continue;
        }
        if (Status e = setPolicy(s_.config.policies, w.text.substr(0, eq), w.text.substr(eq + 1)); !e.ok())
          error(lineNo, w.column, e.errors().front().cause);
      }
    } else if (key == "origin") {
      if (!once(sawOrigin_)) return;
      s_.origin = restOfLine();
    } else {
      error(lineNo, keyCol, "unknown header key '" + std::string(key) + "' (expected scenario, rules, version, policy or origin)");
    }
  }

  void parseStep(std::string_view body, int col, int lineNo) {
    auto r = parseCommand(body);
    if (!r.ok()) {
      error(lineNo, col - 1 + r.errors().front().column, r.errors().front().cause);
      broken_ = true;  // its expect lines belong to no step: don't report them as orphans
      return;
    }
    broken_ = false;
    ScenarioStep step;
    step.command = *r;
    step.line = lineNo;
    s_.steps.push_back(step);
  }

  void parseExpect(std::string_view rest, int restCol, int lineNo, int keyCol) {
    if (s_.steps.empty() && !broken_) {
      error(lineNo, keyCol, "expect line before any step (an expect line belongs to the step above it)");
      return;
    }
    int c = firstColumn(rest);
    if (c == 0) {
      error(lineNo, restCol, "empty expect line (expected an observation, e.g. '-> S_OK')");
      return;
    }
    auto r = parseObservation(rest.substr(c - 1));
    if (!r.ok()) {
      error(lineNo, restCol + c - 2 + r.errors().front().column, r.errors().front().cause);
      return;
    }
    if (broken_) return;
    s_.steps.back().expect.push_back(*r);
    s_.steps.back().expectLines.push_back(lineNo);
  }

  std::string_view text_;
  Scenario s_;
  std::vector<Error> diags_;
  bool sawTitle_ = false, sawRules_ = false, sawVersion_ = false, sawOrigin_ = false;
  bool broken_ = false;  // the last step did not parse
};

}  // namespace

std::vector<Command> Scenario::commands() const {
  std::vector<Command> out;
  out.reserve(steps.size());
  for (const auto& s : steps) out.push_back(s.command);
  return out;
}

Expected<Scenario> parseScenario(std::string_view text, const std::string& path) {
  return Parser(text, path).run();
}

Status checkWorldLimits(const Scenario& s) {
  Model model(s.config);
  Observations out;
  for (const ScenarioStep& step : s.steps) {
    out.clear();
    model.step(step.command, out);
    if (!model.stepLimit().empty())
      return Error{s.path, step.line, 1,
                   "'" + formatCommand(step.command) + "' goes beyond the test world: " + model.stepLimit() +
                       " (docs/semantics.md section 11)"};
  }
  return {};
}

Expected<Scenario> loadScenarioFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, 0, 0, "cannot read the file"};
  // Read in chunks, never much past the limit: a huge file (or an endless FIFO) costs no memory.
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= kMaxScenarioBytes && in.read(chunk, sizeof chunk).gcount() > 0)
    text.append(chunk, static_cast<size_t>(in.gcount()));
  if (in.bad()) return Error{path, 0, 0, "cannot read the file"};
  if (text.size() > kMaxScenarioBytes)
    return Error{path, 0, 0, "larger than " + std::to_string(kMaxScenarioBytes >> 20) + " MiB, the largest scenario file read"};
  auto parsed = parseScenario(text, path);
  if (!parsed.ok()) return parsed;
  if (Status limits = checkWorldLimits(*parsed); !limits.ok()) return limits;
  return parsed;
}

std::vector<Scenario> loadScenarioTree(const std::string& dir, std::vector<Error>& errors) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return {};
  // A folder that cannot be read is reported and skipped: the walk goes on with the others
  // (recursive_directory_iterator would end at the first error, silently). Links to folders
  // are not followed (no loops); links to files are.
  std::vector<fs::path> folders{fs::path(dir)};
  while (!folders.empty()) {
    fs::path folder = std::move(folders.back());
    folders.pop_back();
    fs::directory_iterator it(folder, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::error_code entryEc;
      if (it->is_directory(entryEc) && !it->is_symlink(entryEc)) folders.push_back(it->path());
      else if (it->path().extension() == ".scenario" && it->is_regular_file(entryEc)) paths.push_back(it->path().string());
    }
    if (ec) errors.push_back(Error{folder.string(), 0, 0, "cannot read the folder: " + ec.message()});
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Scenario> out;
  for (const auto& p : paths) {
    auto r = loadScenarioFile(p);
    if (r.ok()) out.push_back(std::move(r).value());
    else errors.insert(errors.end(), r.errors().begin(), r.errors().end());
  }
  return out;
}

std::string formatScenario(const Scenario& s) {
  std::string out = "scenario: " + s.title + "\nrules:";
  for (Rule r : s.rules) out += " " + std::string(idOf(r));
  out += "\n";
  if (s.versionPinned || s.config.version != kNewestBits) out += "version: " + std::string(toString(s.config.version)) + "\n";
  for (const std::string& p : describeNonDefault(s.config.policies)) {
    // "OQ-6=250ms (...)" / "OQ-7b=alt (...)": the KEY=VALUE part is what setPolicy reads back.
    std::string kv = p.substr(0, p.find(' '));
    if (kv.size() > 2 && kv.substr(kv.size() - 2) == "ms") kv.resize(kv.size() - 2);
    out += "policy: " + kv + "\n";
  }
  if (!s.origin.empty()) out += "origin: " + s.origin + "\n";
  out += "\n";
  for (const auto& step : s.steps) {
    out += formatCommand(step.command) + "\n";
    for (const auto& o : step.expect) out += "  expect " + formatObservation(o) + "\n";
  }
  return out;
}

std::map<Rule, std::vector<std::string>> coverageByRule(const std::vector<Scenario>& scenarios) {
  std::map<Rule, std::vector<std::string>> out;
  for (const auto& s : scenarios)
    for (Rule r : s.rules) out[r].push_back(s.path);
  return out;
}

}  // namespace bc
