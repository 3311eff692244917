#include "vocab/command_text.h"

#include <charconv>
#include <cstdio>
#include <vector>

#include "vocab/text_tokens.h"

namespace bc {

namespace {

using text::Token;
using text::tokenize;
using text::hex2;

bool parseNumber(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string jobName(JobId j) { return "J" + std::to_string(j); }

// An error at a column of the one step being parsed (the caller places it in its file and line).
Error err(int column, std::string cause) { return Error{{}, 0, column, std::move(cause)}; }

// A small cursor over the tokens of one step that produces errors pointing at a column.
class Reader {
 public:
  Reader(std::vector<Token> tokens, int endColumn) : t_(std::move(tokens)), end_(endColumn) {}
  bool done() const { return i_ >= t_.size(); }
  int column() const { return done() ? end_ : t_[i_].column; }
  std::string_view peek() const { return done() ? std::string_view() : t_[i_].text; }
  Token next() { return t_[i_++]; }
  size_t index() const { return i_; }

 private:
  std::vector<Token> t_;
  size_t i_ = 0;
  int end_;
};

}  // namespace

Expected<uint64_t> parseDuration(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    uint64_t ms;
  };
  static constexpr Unit kUnits[] = {{"ms", 1}, {"min", 60000}, {"s", 1000}, {"h", 3600000}, {"d", 86400000}};
  for (const auto& u : kUnits) {
    if (text.size() > u.suffix.size() && text.substr(text.size() - u.suffix.size()) == u.suffix) {
      uint64_t n;
      std::string_view digits = text.substr(0, text.size() - u.suffix.size());
      if (!parseNumber(digits, n)) break;
      // Checked before multiplying: 213503982335d must not wrap around to 34448384ms.
      if (n > kMaxTickMs / u.ms)
        return err(1, "duration '" + std::string(text) + "' is longer than " + formatDuration(kMaxTickMs) +
                          ", the longest Tick of the test world (docs/semantics.md section 11)");
      return n * u.ms;
    }
  }
  return err(1, "bad duration '" + std::string(text) + "' (expected e.g. 500ms, 600s, 10min, 2h, 14d)");
}

std::string formatDuration(uint64_t ms) {
  if (ms != 0 && ms % 86400000 == 0) return std::to_string(ms / 86400000) + "d";
  if (ms != 0 && ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string formatCommand(const Command& c) {
  std::string app = "A" + std::to_string(c.app);
  std::string name(toString(c.kind));
  switch (c.kind) {
    case CmdKind::CreateJob:
    case CmdKind::AddFile:
    case CmdKind::Resume:
    case CmdKind::Suspend:
    case CmdKind::Complete:
    case CmdKind::Cancel:
    case CmdKind::GetState:
    case CmdKind::GetNotifyCmdLine:
    case CmdKind::GetNotifyClsid: return app + " " + name + " " + jobName(c.job);
    case CmdKind::GetNotifyInterface:
    case CmdKind::GetNotifyFlags:
      return app + " " + name + " " + jobName(c.job) + (c.nullOut ? " nullout" : "");
    case CmdKind::SetNotifyInterface:
      return app + " " + name + " " + jobName(c.job) + " " +
             (c.slot == 0 ? std::string("NULL") : "o" + std::to_string(c.slot));
    case CmdKind::SetNotifyFlags: return app + " " + name + " " + jobName(c.job) + " " + hex2(c.flags);
    case CmdKind::SetNotifyCmdLine:
      return app + " " + name + " " + jobName(c.job) + " " + std::string(toString(c.program)) + " " +
             std::string(toString(c.params));
    case CmdKind::SetNotifyClsid:
      return app + " " + name + " " + jobName(c.job) + " " + std::string(toString(c.clsid));
    case CmdKind::Behave:
      return app + " Behave o" + std::to_string(c.slot) + " " + std::string(toString(c.behavior));
    case CmdKind::AppExit: return app + " Exit";
    case CmdKind::RegisterServer:
      return name + " " + std::string(toString(c.clsid)) + " " + std::string(toString(c.behavior));
    case CmdKind::UnregisterServer:
    case CmdKind::ServerExit: return name + " " + std::string(toString(c.clsid));
    case CmdKind::Connect:
    case CmdKind::Progress:
    case CmdKind::Transfer:
    case CmdKind::TransientError:
    case CmdKind::FatalError: return name + " " + jobName(c.job);
    case CmdKind::Tick: return name + " " + formatDuration(c.ms);
    case CmdKind::NetDown:
    case CmdKind::NetUp:
    case CmdKind::ServiceRestart:
    case CmdKind::Reboot: return name;
  }
  return name;
}

Expected<Command> parseCommand(std::string_view text) {
  Reader r(tokenize(text), static_cast<int>(text.size()) + 1);
  if (r.done()) return err(1, "empty step");
  Command c;

  auto expectJob = [&]() -> std::optional<Error> {
    if (r.done()) return err(r.column(), "missing job (expected J1, J2, ...)");
    Token t = r.next();
    uint64_t n;
    if (t.text.size() < 2 || t.text[0] != 'J' || !parseNumber(t.text.substr(1), n) || n == 0)
      return err(t.column, "bad job '" + std::string(t.text) + "' (expected J1, J2, ...)");
    if (n > kMaxJobId)
      return err(t.column, "job '" + std::string(t.text) + "' is above J" + std::to_string(kMaxJobId) +
                               ", the last job of the test world (docs/semantics.md section 11)");
    c.job = static_cast<JobId>(n);
    return std::nullopt;
  };
  auto expectClass = [&](bool allowNull) -> std::optional<Error> {
    if (r.done()) return err(r.column(), "missing class (expected ClsidA, ClsidB, ClsidC or GUID_NULL)");
    Token t = r.next();
    auto cls = parseClassId(t.text);
    if (!cls || (!allowNull && *cls == ClassId::Null))
      return err(t.column, "bad class '" + std::string(t.text) + "' (expected ClsidA, ClsidB, ClsidC" +
                               (allowNull ? " or GUID_NULL)" : ")"));
    c.clsid = *cls;
    return std::nullopt;
  };
  auto expectBehavior = [&]() -> std::optional<Error> {
    if (r.done()) return err(r.column(), "missing behaviour (ok, sfalse, fail, failonce, hang, crash, execfail)");
    Token t = r.next();
    auto b = parseBehavior(t.text);
    if (!b) return err(t.column, "bad behaviour '" + std::string(t.text) +
                                     "' (expected ok, sfalse, fail, failonce, hang, crash, execfail)");
    c.behavior = *b;
    return std::nullopt;
  };
  auto expectSlot = [&](bool allowNull) -> std::optional<Error> {
    if (r.done()) return err(r.column(), allowNull ? "missing object (o1..o4 or NULL)" : "missing object (o1..o4)");
    Token t = r.next();
    if (allowNull && t.text == "NULL") {
      c.slot = 0;
      return std::nullopt;
    }
    uint64_t n;
    if (t.text.size() != 2 || t.text[0] != 'o' || !parseNumber(t.text.substr(1), n) || n < 1 || n > kObjectSlots)
      return err(t.column, "bad object '" + std::string(t.text) + (allowNull ? "' (expected o1..o4 or NULL)" : "' (expected o1..o4)"));
    c.slot = static_cast<uint8_t>(n);
    return std::nullopt;
  };

  Token first = r.next();
  if (first.text.size() >= 2 && first.text[0] == 'A' && first.text[1] >= '0' && first.text[1] <= '9') {
    uint64_t n;
    if (!parseNumber(first.text.substr(1), n) || n < 1 || n > kMaxApps)
      return err(first.column, "bad app '" + std::string(first.text) + "' (expected A1..A8)");
    c.app = static_cast<AppId>(n);
    if (r.done()) return err(r.column(), "missing command after " + std::string(first.text));
    Token verb = r.next();
    std::optional<Error> e;
    if (verb.text == "Exit") {
      c.kind = CmdKind::AppExit;
    } else if (verb.text == "Behave") {
      c.kind = CmdKind::Behave;
      if ((e = expectSlot(false)) || (e = expectBehavior())) return *e;
    } else {
      bool found = false;
      for (int k = 0; k <= static_cast<int>(CmdKind::GetNotifyClsid); ++k) {
        if (toString(static_cast<CmdKind>(k)) == verb.text) {
          c.kind = static_cast<CmdKind>(k);
          found = true;
        }
      }
      if (!found) return err(verb.column, "unknown app command '" + std::string(verb.text) + "'");
      if ((e = expectJob())) return *e;
      switch (c.kind) {
        case CmdKind::SetNotifyInterface:
          if ((e = expectSlot(true))) return *e;
          break;
        case CmdKind::GetNotifyInterface:
        case CmdKind::GetNotifyFlags:
          if (r.peek() == "nullout") {
            r.next();
            c.nullOut = true;
          }
          break;
        case CmdKind::SetNotifyFlags: {
          if (r.done()) return err(r.column(), "missing flags (e.g. 0x03)");
          Token t = r.next();
          uint64_t f;
          if (!parseNumber(t.text, f) || f > 0xFFFFFFFFull)
            return err(t.column, "bad flags '" + std::string(t.text) + "' (expected a number such as 0x0B)");
          c.flags = static_cast<uint32_t>(f);
          break;
        }
        case CmdKind::SetNotifyCmdLine: {
          if (r.done()) return err(r.column(), "missing program (ok, fail, long or NULL)");
          Token p = r.next();
          auto prog = parseProgram(p.text);
          if (!prog) return err(p.column, "bad program '" + std::string(p.text) + "' (expected ok, fail, long or NULL)");
          c.program = *prog;
          if (r.done()) return err(r.column(), "missing parameters (args, longargs or NULL)");
          Token a = r.next();
          auto params = parseParams(a.text);
          if (!params) return err(a.column, "bad parameters '" + std::string(a.text) + "' (expected args, longargs or NULL)");
          c.params = *params;
          break;
        }
        case CmdKind::SetNotifyClsid:
          if ((e = expectClass(true))) return *e;
          break;
        default: break;
      }
    }
  } else {
    std::string_view v = first.text;
    std::optional<Error> e;
    bool found = false;
    for (int k = static_cast<int>(CmdKind::RegisterServer); k < kCmdKindCount; ++k) {
      if (toString(static_cast<CmdKind>(k)) == v) {
        c.kind = static_cast<CmdKind>(k);
        found = true;
      }
    }
    if (!found) {
      bool isApp = false;
      for (int k = 0; k <= static_cast<int>(CmdKind::GetNotifyClsid); ++k)
        if (toString(static_cast<CmdKind>(k)) == v) isApp = true;
      if (isApp) return err(first.column, "'" + std::string(v) + "' is an app call: write the app first, e.g. 'A1 " + std::string(v) + " J1'");
      return err(first.column, "unknown command '" + std::string(v) + "'");
    }
    switch (c.kind) {
      case CmdKind::RegisterServer:
        if ((e = expectClass(false)) || (e = expectBehavior())) return *e;
        break;
      case CmdKind::UnregisterServer:
      case CmdKind::ServerExit:
        if ((e = expectClass(false))) return *e;
        break;
      case CmdKind::Connect:
      case CmdKind::Progress:
      case CmdKind::Transfer:
      case CmdKind::TransientError:
      case CmdKind::FatalError:
        if ((e = expectJob())) return *e;
        break;
      case CmdKind::Tick: {
        if (r.done()) return err(r.column(), "missing duration (e.g. 600s)");
        Token t = r.next();
        auto d = parseDuration(t.text);
        if (!d.ok()) return err(t.column, d.errors().front().cause);
        c.ms = *d;
        break;
      }
      default: break;
    }
  }
  if (!r.done()) return err(r.column(), "unexpected '" + std::string(r.peek()) + "' after the command");
  return c;
}

}  // namespace bc
