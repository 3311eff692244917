#include "vocab/world.h"

#include <array>
#include <charconv>

namespace bc {

namespace {
constexpr std::array<std::string_view, 7> kBehaviorNames = {"ok",   "sfalse", "fail",    "failonce",
                                                            "hang", "crash",  "execfail"};
constexpr std::array<std::string_view, 4> kProgramNames = {"NULL", "ok", "fail", "long"};
constexpr std::array<std::string_view, 3> kParamsNames = {"NULL", "args", "longargs"};

template <typename E, size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

bool parseUnsigned(std::string_view s, uint32_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

std::string_view toString(Behavior b) { return kBehaviorNames[static_cast<size_t>(b)]; }
std::optional<Behavior> parseBehavior(std::string_view t) { return lookup<Behavior>(kBehaviorNames, t); }
std::string_view toString(Program p) { return kProgramNames[static_cast<size_t>(p)]; }
std::string_view toString(Params p) { return kParamsNames[static_cast<size_t>(p)]; }
std::optional<Program> parseProgram(std::string_view t) { return lookup<Program>(kProgramNames, t); }
std::optional<Params> parseParams(std::string_view t) { return lookup<Params>(kParamsNames, t); }

std::string programPath(Program p) {
  switch (p) {
    case Program::Null: return "";
    case Program::Ok: return "C:\\bitsconform\\notify-ok.exe";
    case Program::Fail: return "C:\\bitsconform\\notify-fail.exe";
    case Program::TooLong: return "C:\\" + std::string(254, 'x') + ".exe";  // 261 characters
  }
  return "";
}

std::string paramsText(Program p, Params a) {
  switch (a) {
    case Params::Null: return "";
    case Params::Ok: return "\"" + programPath(p) + "\" /job";
    case Params::TooLong: return std::string(4001, 'p');
  }
  return "";
}

std::string toString(const Receiver& r) {
  switch (r.kind) {
    case Receiver::Kind::None: return "NULL";
    case Receiver::Kind::AppObject:
      return "A" + std::to_string(r.app) + "#" + std::to_string(r.incarnation) + ".o" +
             std::to_string(r.slot);
    case Receiver::Kind::ServerObject:
      return std::string(toString(r.clsid)) + "#" + std::to_string(r.instance);
  }
  return "?";
}

std::optional<Receiver> parseReceiver(std::string_view t) {
  if (t == "NULL") return Receiver::none();
  auto hash = t.find('#');
  if (hash == std::string_view::npos) return std::nullopt;
  std::string_view head = t.substr(0, hash), tail = t.substr(hash + 1);
  if (auto c = parseClassId(head); c && *c != ClassId::Null) {
    uint32_t n;
    if (!parseUnsigned(tail, n) || n == 0) return std::nullopt;
    return Receiver::serverObject(*c, n);
  }
  if (head.size() < 2 || head[0] != 'A') return std::nullopt;
  uint32_t app, inc, slot;
  auto dot = tail.find(".o");
  if (dot == std::string_view::npos) return std::nullopt;
  if (!parseUnsigned(head.substr(1), app) || app == 0 || app > kMaxApps) return std::nullopt;
  if (!parseUnsigned(tail.substr(0, dot), inc) || inc == 0) return std::nullopt;
  if (!parseUnsigned(tail.substr(dot + 2), slot) || slot == 0 || slot > kObjectSlots) return std::nullopt;
  return Receiver::appObject(static_cast<AppId>(app), static_cast<uint16_t>(inc), static_cast<uint8_t>(slot));
}

}  // namespace bc
