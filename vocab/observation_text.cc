#include "vocab/observation_text.h"

#include <charconv>
#include <cstdio>
#include <vector>

#include "vocab/text_tokens.h"

namespace bc {

namespace {

using text::Token;
using text::tokenize;
using text::hex2;

bool parseInt(std::string_view s, long long& out) {
  int base = 10;
  bool neg = false;
  if (!s.empty() && s[0] == '-') {
    neg = true;
    s.remove_prefix(1);
  }
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  if (s.empty()) return false;
  unsigned long long v;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return false;
  out = neg ? -static_cast<long long>(v) : static_cast<long long>(v);
  return true;
}

std::optional<JobId> parseJob(std::string_view t) {
  long long n;
  if (t.size() < 2 || t[0] != 'J' || !parseInt(t.substr(1), n) || n < 1 || n > kMaxJobId) return std::nullopt;
  return static_cast<JobId>(n);
}

std::optional<Method> parseMethod(std::string_view t) {
  for (int m = 0; m < 4; ++m)
    if (toString(static_cast<Method>(m)) == t) return static_cast<Method>(m);
  return std::nullopt;
}

Error err(int column, std::string cause) { return Error{{}, 0, column, std::move(cause)}; }

}  // namespace

std::string formatObservation(const Observation& o) {
  std::string job = "J" + std::to_string(o.job);
  switch (o.kind) {
    case ObsKind::Return: {
      std::string s = "-> " + toString(o.hr);
      switch (o.value) {
        case ValueKind::None: break;
        case ValueKind::Flags: s += " flags=" + hex2(o.flags); break;
        case ValueKind::Receiver: s += " iface=" + toString(o.receiver); break;
        case ValueKind::Clsid: s += " clsid=" + std::string(toString(o.clsid)); break;
        case ValueKind::CmdLine:
          s += " cmdline=" + std::string(toString(o.program)) + " " + std::string(toString(o.params));
          break;
        case ValueKind::State: s += " state=" + std::string(toString(o.state)); break;
      }
      return s;
    }
    case ObsKind::Callback: {
      std::string s = "callback " + toString(o.receiver) + " " + std::string(toString(o.method)) + " " + job;
      if (o.method == Method::FileTransferred) s += " f" + std::to_string(o.file);
      switch (o.outcome) {
        case Outcome::Returned: return s + " -> " + toString(o.hr);
        case Outcome::Hung: return s + " -> hang";
        case Outcome::Crashed: return s + " -> crash";
      }
      return s;
    }
    case ObsKind::Activation: {
      std::string s = "activate " + std::string(toString(o.clsid)) + " " + job + " -> " + toString(o.hr);
      if (o.hr.succeeded()) s += " " + toString(o.receiver);
      return s;
    }
    case ObsKind::CmdLine:
      return "cmdline " + job + " " + std::string(toString(o.program)) + " " + std::string(toString(o.params)) +
             " -> exit " + std::to_string(o.exitCode);
  }
  return "?";
}

Expected<Observation> parseObservation(std::string_view text) {
  std::vector<Token> t = tokenize(text);
  int end = static_cast<int>(text.size()) + 1;
  auto at = [&](size_t i) { return i < t.size() ? t[i].column : end; };
  auto missing = [&](size_t i, const char* what) { return err(at(i), std::string("missing ") + what); };
  if (t.empty()) return err(1, "empty observation");
  auto hrAt = [&](size_t i) -> Expected<Hresult> {
    if (i >= t.size()) return missing(i, "HRESULT (e.g. S_OK)");
    auto h = parseHresult(t[i].text);
    if (!h) return err(t[i].column, "unknown HRESULT '" + std::string(t[i].text) + "'");
    return *h;
  };
  size_t used = 0;
  Observation o;
  std::string_view head = t[0].text;
  if (head == "->") {
    auto h = hrAt(1);
    if (!h.ok()) return h.errors();
    o = Observation::ret(*h);
    used = 2;
    if (t.size() > 2) {
      std::string_view v = t[2].text;
      auto eq = v.find('=');
      if (eq == std::string_view::npos) return err(t[2].column, "expected key=value after the HRESULT");
      std::string_view key = v.substr(0, eq), val = v.substr(eq + 1);
      int valColumn = t[2].column + static_cast<int>(eq) + 1;
      used = 3;
      if (key == "flags") {
        long long f;
        if (!parseInt(val, f) || f < 0 || f > 0xFFFFFFFFll) return err(valColumn, "bad flags '" + std::string(val) + "'");
        o = Observation::retFlags(o.hr, static_cast<uint32_t>(f));
      } else if (key == "iface") {
        auto r = parseReceiver(val);
        if (!r) return err(valColumn, "bad receiver '" + std::string(val) + "' (expected NULL, A1#1.o2 or ClsidA#1)");
        o = Observation::retReceiver(o.hr, *r);
      } else if (key == "clsid") {
        auto c = parseClassId(val);
        if (!c) return err(valColumn, "bad class '" + std::string(val) + "'");
        o = Observation::retClsid(o.hr, *c);
      } else if (key == "state") {
        auto s = parseJobState(val);
        if (!s) return err(valColumn, "bad job state '" + std::string(val) + "'");
        o = Observation::retState(o.hr, *s);
      } else if (key == "cmdline") {
        auto p = parseProgram(val);
        if (!p) return err(valColumn, "bad program '" + std::string(val) + "'");
        if (t.size() < 4) return missing(3, "parameters (args, longargs or NULL)");
        auto a = parseParams(t[3].text);
        if (!a) return err(t[3].column, "bad parameters '" + std::string(t[3].text) + "'");
        o = Observation::retCmdLine(o.hr, *p, *a);
        used = 4;
      } else {
        return err(t[2].column, "unknown value '" + std::string(key) + "' (expected flags, iface, clsid, state or cmdline)");
      }
    }
  } else if (head == "callback") {
    if (t.size() < 2) return missing(1, "receiver");
    auto r = parseReceiver(t[1].text);
    if (!r || r->isNone()) return err(t[1].column, "bad receiver '" + std::string(t[1].text) + "' (expected A1#1.o2 or ClsidA#1)");
    if (t.size() < 3) return missing(2, "method");
    auto m = parseMethod(t[2].text);
    if (!m) return err(t[2].column, "unknown method '" + std::string(t[2].text) + "'");
    if (t.size() < 4) return missing(3, "job");
    auto j = parseJob(t[3].text);
    if (!j) return err(t[3].column, "bad job '" + std::string(t[3].text) + "'");
    size_t i = 4;
    uint8_t file = 0;
    if (*m == Method::FileTransferred) {
      long long f;
      if (i >= t.size()) return missing(i, "file (f1, f2, ...)");
      if (t[i].text.size() < 2 || t[i].text[0] != 'f' || !parseInt(t[i].text.substr(1), f) || f < 1 || f > 255)
        return err(t[i].column, "bad file '" + std::string(t[i].text) + "'");
      file = static_cast<uint8_t>(f);
      ++i;
    }
    if (i >= t.size() || t[i].text != "->") return err(at(i), "expected '->' before the callback's answer");
    ++i;
    if (i >= t.size()) return missing(i, "answer (an HRESULT, hang or crash)");
    if (t[i].text == "hang") {
      o = Observation::callback(*r, *m, *j, file, Outcome::Hung, {});
    } else if (t[i].text == "crash") {
      o = Observation::callback(*r, *m, *j, file, Outcome::Crashed, {});
    } else {
      auto h = hrAt(i);
      if (!h.ok()) return h.errors();
      o = Observation::callback(*r, *m, *j, file, Outcome::Returned, *h);
    }
    used = i + 1;
  } else if (head == "activate") {
    if (t.size() < 2) return missing(1, "class");
    auto c = parseClassId(t[1].text);
    if (!c) return err(t[1].column, "bad class '" + std::string(t[1].text) + "'");
    if (t.size() < 3) return missing(2, "job");
    auto j = parseJob(t[2].text);
    if (!j) return err(t[2].column, "bad job '" + std::string(t[2].text) + "'");
    if (t.size() < 4 || t[3].text != "->") return err(at(3), "expected '->'");
    auto h = hrAt(4);
    if (!h.ok()) return h.errors();
    Receiver created;
    used = 5;
    if (h->succeeded()) {
      if (t.size() < 6) return missing(5, "created object (e.g. ClsidA#1)");
      auto r = parseReceiver(t[5].text);
      if (!r || r->kind != Receiver::Kind::ServerObject) return err(t[5].column, "bad object '" + std::string(t[5].text) + "'");
      created = *r;
      used = 6;
    }
    o = Observation::activation(*j, *c, *h, created);
  } else if (head == "cmdline") {
    if (t.size() < 2) return missing(1, "job");
    auto j = parseJob(t[1].text);
    if (!j) return err(t[1].column, "bad job '" + std::string(t[1].text) + "'");
    if (t.size() < 3) return missing(2, "program");
    auto p = parseProgram(t[2].text);
    if (!p) return err(t[2].column, "bad program '" + std::string(t[2].text) + "'");
    if (t.size() < 4) return missing(3, "parameters");
    auto a = parseParams(t[3].text);
    if (!a) return err(t[3].column, "bad parameters '" + std::string(t[3].text) + "'");
    if (t.size() < 5 || t[4].text != "->") return err(at(4), "expected '->'");
    if (t.size() < 6 || t[5].text != "exit") return err(at(5), "expected 'exit <code>'");
    long long code;
    if (t.size() < 7 || !parseInt(t[6].text, code)) return err(at(6), "bad exit code");
    o = Observation::cmdLine(*j, *p, *a, static_cast<int>(code));
    used = 7;
  } else {
    return err(t[0].column, "unknown observation '" + std::string(head) + "' (expected '->', callback, activate or cmdline)");
  }
  if (used < t.size()) return err(t[used].column, "unexpected '" + std::string(t[used].text) + "'");
  return o;
}

}  // namespace bc
