// Escaping and labels shared by the renderers.
#include <cctype>
#include <map>

#include "reports/render.h"
#include "vocab/utf8.h"

namespace bc {

std::string escapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escapeXml(std::string_view s) {
  // XML 1.0 (section 2.2, Char) allows tab, LF and CR below 0x20 and excludes U+FFFE and U+FFFF:
  // a SUT's garbage must not make the file unparseable. Controls are dropped, the rest that XML
  // cannot carry (and bytes that are not UTF-8) become U+FFFD.
  std::string escaped = escapeHtml(s), out;
  out.reserve(escaped.size());
  for (size_t i = 0; i < escaped.size();) {
    Utf8Char c = decodeUtf8(escaped, i);
    if (c.length == 0) {
      out += kReplacementCharacter;
      i += c.invalidLength;
      continue;
    }
    if (c.codePoint < 0x20 && c.codePoint != '\t' && c.codePoint != '\n' && c.codePoint != '\r') {
      // dropped
    } else if (c.codePoint == 0xFFFE || c.codePoint == 0xFFFF) {
      out += kReplacementCharacter;
    } else {
      out.append(escaped, i, c.length);
    }
    i += c.length;
  }
  return out;
}

std::string joinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::string escapeMarkdownCell(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\n': out += "<br>"; break;
      case '\r': break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string witnessLabel(const RuleResult& r) {
  switch (r.verdict) {
    case RuleVerdict::Pass:
    case RuleVerdict::Fail:
    case RuleVerdict::ExpectedFail: return r.witness ? r.witness->source : "properties only";
    case RuleVerdict::NotApplicable: return r.witness ? r.witness->source + ": " + r.witness->trace : "";
    default: return "";
  }
}

std::string traceAnchor(size_t run, std::string_view scenarioPath) {
  std::string id = "t-" + std::to_string(run) + "-";
  for (char c : scenarioPath)
    id += isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/' || c == '-' ? c : '_';
  return id;
}

std::vector<std::string> runLabels(const std::vector<Results>& runs) {
  std::map<std::string, int> seen;
  for (const auto& r : runs) ++seen[r.run.sutName];
  std::vector<std::string> labels;
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    std::string label = r.run.sutName.empty() ? "run " + std::to_string(i + 1) : r.run.sutName;
    if (seen[r.run.sutName] > 1) label += " (" + (r.run.sutSpec.empty() ? std::to_string(i + 1) : r.run.sutSpec) + ")";
    labels.push_back(label);
  }
  return labels;
}

}  // namespace bc
