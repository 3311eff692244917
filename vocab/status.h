// status.h: the one way bitsconform reports bad input, a parse that fails or IO that fails.
//
// An Error names where the problem is (a file or input name), the 1-based line and column when
// they are known, and the cause; toString gives the one text form every message uses:
//   "scenarios/CB/x.scn:12:7: unknown command 'SetNotifyFlag'"
// Parts that are not known are left out ("out.json: cannot open for writing: ..."; "bad flags").
// Status is ok or carries errors; Expected<T> is a T or carries errors. Both are values: nothing
// here throws (exceptions are kept for a SUT that dies, sut/sut.h SutFailure). std::expected is
// C++23; this is the small part of it the project needs.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace bc {

struct Error {
  std::string where;  // file or input name; empty when the text has none (one step, one flag list)
  int line = 0;       // 1-based; 0: not known or not line-based
  int column = 0;     // 1-based; 0: not known
  std::string cause;  // what is wrong, e.g. "unknown command 'SetNotifyFlag'"
  bool operator==(const Error&) const = default;
};

// "WHERE:LINE:COLUMN: cause", leaving out what is not known (see above); `where` is written as
// valid UTF-8 (vocab/utf8.h sanitizeUtf8), the cause as given.
std::string toString(const Error& e);
// Every error in its text form, one per line (no trailing newline).
std::string toString(const std::vector<Error>& errors);

// e placed inside a larger text: `where` and `line` are set, the column shifted by `columnOffset`
// (the column in the larger text of e's column 1). Used when one line's parser reports an error
// the file's parser passes on.
Error locate(Error e, std::string where, int line, int columnOffset = 0);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(Error e) { errors_.push_back(std::move(e)); }
  Status(std::vector<Error> errors) : errors_(std::move(errors)) {}
  static Status fail(std::string cause, std::string where = {}) { return Error{std::move(where), 0, 0, std::move(cause)}; }

  bool ok() const { return errors_.empty(); }
  explicit operator bool() const { return ok(); }
  const std::vector<Error>& errors() const { return errors_; }
  std::string message() const { return toString(errors_); }

 private:
  std::vector<Error> errors_;
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}
  Expected(Error e) : v_(std::vector<Error>{std::move(e)}) {}
  Expected(std::vector<Error> errors) : v_(std::move(errors)) {}
  // Carries a failed Status on (a Status that is ok is a caller's bug: see value()).
  Expected(Status s) : v_(std::vector<Error>(s.errors())) { requireErrors(); }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // The value; asking for it when there is none is a bug in the caller: it prints the errors and
  // aborts (no exception, so no caller can mistake it for an input error it should handle).
  // From a temporary the value is moved out, not referred to: `for (x : read().value().items)`
  // then iterates a live object, not one destroyed with the temporary.
  T& value() & { return *checked(); }
  const T& value() const& { return *checked(); }
  T value() && { return std::move(*checked()); }
  T* operator->() { return checked(); }
  const T* operator->() const { return checked(); }
  T& operator*() & { return *checked(); }
  const T& operator*() const& { return *checked(); }
  T operator*() && { return std::move(*checked()); }

  // The errors; empty when there is a value.
  const std::vector<Error>& errors() const {
    static const std::vector<Error> kNone;
    return ok() ? kNone : std::get<1>(v_);
  }
  std::string message() const { return toString(errors()); }
  Status status() const { return ok() ? Status() : Status(errors()); }

 private:
  T* checked() const {
    if (!ok()) {
      std::fprintf(stderr, "bitsconform: value of a failed Expected:\n%s\n", message().c_str());
      std::abort();
    }
    return const_cast<T*>(&std::get<0>(v_));
  }
  void requireErrors() const {
    if (std::get<1>(v_).empty()) {
      std::fprintf(stderr, "bitsconform: an Expected made from an ok Status has neither value nor error\n");
      std::abort();
    }
  }
  std::variant<T, std::vector<Error>> v_;
};

}  // namespace bc
