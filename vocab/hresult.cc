#include "vocab/hresult.h"

#include <cstdio>
#include <cstdlib>

namespace bc {

namespace {
struct Named {
  std::string_view name;
  uint32_t value;
};
constexpr Named kNamed[] = {
#define BC_NAMED_HR(name, v) {#name, v},
    BC_HRESULTS(BC_NAMED_HR)
#undef BC_NAMED_HR
};
}  // namespace

std::string toString(Hresult h) {
  for (const auto& n : kNamed)
    if (n.value == h.value) return std::string(n.name);
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", h.value);
  return buf;
}

std::optional<Hresult> parseHresult(std::string_view text) {
  for (const auto& n : kNamed)
    if (n.name == text) return Hresult{n.value};
  if (text.size() > 2 && text.size() <= 10 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::string digits(text.substr(2));
    char* end = nullptr;
    unsigned long v = std::strtoul(digits.c_str(), &end, 16);
    if (end && *end == '\0') return Hresult{static_cast<uint32_t>(v)};
  }
  return std::nullopt;
}

}  // namespace bc
