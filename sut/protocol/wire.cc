#include "sut/protocol/wire.h"

#include <cstdio>
#include <cstdlib>

#include "vocab/utf8.h"

namespace bc::wire {

namespace {

struct Reader {
  std::string_view s;
  size_t i = 0;
  int depth = 0;  // of skipValue's nesting
  void blanks() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  }
  bool eat(char c) {
    blanks();
    if (i < s.size() && s[i] == c) return ++i, true;
    return false;
  }
  bool word(std::string_view w) {
    blanks();
    if (s.substr(i, w.size()) != w) return false;
    i += w.size();
    return true;
  }
  bool hex4(unsigned& cp) {
    if (i + 4 > s.size()) return false;
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      int h = hex(s[i++]);
      if (h < 0) return false;
      cp = cp * 16 + unsigned(h);
    }
    return true;
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }
  bool string(std::string& out) {
    if (!eat('"')) return false;
    while (i < s.size()) {
      char c = s[i++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i >= s.size()) return false;
      char e = s[i++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp;
          if (!hex4(cp)) return false;
          // RFC 8259 section 7: a character outside the BMP is a surrogate pair; a lone
          // surrogate is no character at all (U+FFFD, as the runner would read it).
          if (cp >= 0xD800 && cp <= 0xDBFF && s.substr(i, 2) == "\\u") {
            size_t back = i;
            i += 2;
            unsigned low;
            if (!hex4(low)) return false;
            if (low >= 0xDC00 && low <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            else i = back;  // not a pair: the next escape is read on its own
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          utf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  // Skips any JSON value (used for nested objects the adapter side does not need).
  bool skipValue() {
    blanks();
    if (i >= s.size()) return false;
    char c = s[i];
    if (c == '"') {
      std::string ignored;
      return string(ignored);
    }
    if (c == '{' || c == '[') {
      if (depth >= kMaxDepth) return false;  // no recursion as deep as the line is long
      char close = c == '{' ? '}' : ']';
      ++i;
      if (eat(close)) return true;
      ++depth;
      do {
        if (close == '}') {
          std::string key;
          if (!string(key) || !eat(':')) return false;
        }
        if (!skipValue()) return false;
      } while (eat(','));
      --depth;
      return eat(close);
    }
    size_t start = i;
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ') ++i;
    return i > start;
  }
};

}  // namespace

std::optional<FlatObject> parseFlatObject(std::string_view line) {
  if (line.size() > kMaxLineBytes) return std::nullopt;
  Reader r{line};
  FlatObject obj;
  if (!r.eat('{')) return std::nullopt;
  if (!r.eat('}')) {
    do {
      std::string key;
      if (!r.string(key) || !r.eat(':')) return std::nullopt;
      Value v;
      r.blanks();
      if (r.i >= line.size()) return std::nullopt;
      char c = line[r.i];
      if (c == '"') {
        v.kind = Value::Kind::String;
        if (!r.string(v.text)) return std::nullopt;
      } else if (c == '[') {
        v.kind = Value::Kind::Strings;
        ++r.i;
        if (!r.eat(']')) {
          do {
            std::string item;
            if (!r.string(item)) return std::nullopt;
            v.strings.push_back(std::move(item));
          } while (r.eat(','));
          if (!r.eat(']')) return std::nullopt;
        }
      } else if (c == '{') {
        v.kind = Value::Kind::Object;
        if (!r.skipValue()) return std::nullopt;
      } else if (r.word("true")) {
        v.kind = Value::Kind::Bool, v.boolean = true;
      } else if (r.word("false")) {
        v.kind = Value::Kind::Bool;
      } else if (r.word("null")) {
        v.kind = Value::Kind::Null;
      } else {
        std::string digits;
        while (r.i < line.size() && std::string_view("+-.0123456789eE").find(line[r.i]) != std::string_view::npos)
          digits += line[r.i++];
        if (digits.empty()) return std::nullopt;
        char* end = nullptr;
        v.kind = Value::Kind::Number;
        v.number = std::strtod(digits.c_str(), &end);
        if (end != digits.c_str() + digits.size()) return std::nullopt;
      }
      obj[key] = std::move(v);
    } while (r.eat(','));
    if (!r.eat('}')) return std::nullopt;
  }
  r.blanks();
  if (r.i != line.size()) return std::nullopt;
  return obj;
}

std::string quote(std::string_view text) {
  const std::string s = sanitizeUtf8(text);  // JSON text is UTF-8 (RFC 8259 section 8.1)
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string quoteAll(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t k = 0; k < items.size(); ++k) out += (k ? "," : "") + quote(items[k]);
  return out + "]";
}

}  // namespace bc::wire
