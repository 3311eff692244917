#include "tools/bitsconf_work.h"

#include <algorithm>
#include <charconv>
#include <random>

namespace bc {

namespace {
std::vector<std::string> splitComma(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}
}  // namespace

uint64_t stableHash(std::string_view key) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::optional<Shard> parseShard(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Shard s;
  auto k = text.substr(0, slash), n = text.substr(slash + 1);
  // An out-of-range number is an error too (from_chars then leaves the value unchanged).
  auto number = [](std::string_view t, int& out) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return !t.empty() && ec == std::errc() && end == t.data() + t.size();
  };
  if (!number(k, s.index) || !number(n, s.count)) return std::nullopt;
  if (s.count < 1 || s.index < 1 || s.index > s.count) return std::nullopt;
  return s;
}

std::vector<int> chunkCases(int cases) {
  std::vector<int> out;
  for (int left = std::max(cases, 0); left > 0; left -= kCasesPerChunk) out.push_back(std::min(left, kCasesPerChunk));
  return out;
}

std::optional<uint64_t> parseRunSeed(std::string_view text) {
  if (text == "random") {
    std::random_device rd;
    uint64_t s = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    return s == 0 ? 1 : s;
  }
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

uint64_t chunkSeed(uint64_t seed, int chunk) {
  if (chunk == 0 && seed != 0) return seed;
  // splitmix64 of (seed, chunk): well spread, and fixed forever (saved results name these seeds).
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(chunk);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return z == 0 ? 1 : z;
}

std::string chunkKey(std::string_view property, int chunk) { return std::string(property) + "#" + std::to_string(chunk); }

Status parseRuleFilter(std::string_view text, std::vector<std::string>& out, const std::string& option) {
  for (auto& id : splitComma(text)) {
    if (!parseRule(id)) return Status::fail("unknown rule ID '" + id + "' (see `bitsconf rules`)", option);
    out.push_back(id);
  }
  return {};
}

Status parseGroupFilter(std::string_view text, std::vector<std::string>& out, const std::string& option) {
  auto groups = ruleGroups();
  for (auto& g : splitComma(text)) {
    if (std::find(groups.begin(), groups.end(), g) == groups.end())
      return Status::fail("unknown rule group '" + g + "'", option);
    out.push_back(g);
  }
  return {};
}

bool selected(const std::vector<Rule>& rules, const std::vector<std::string>& ids, const std::vector<std::string>& groups) {
  if (ids.empty() && groups.empty()) return true;
  for (Rule r : rules) {
    if (std::find(ids.begin(), ids.end(), idOf(r)) != ids.end()) return true;
    if (std::find(groups.begin(), groups.end(), info(r).group) != groups.end()) return true;
  }
  return false;
}

}  // namespace bc
