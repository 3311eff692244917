#include "vocab/status.h"

#include <catch2/catch.hpp>

using namespace bc;

TEST_CASE("an error's text form is FILE:LINE:COLUMN: cause, leaving out what is unknown", "[vocab][status]") {
  CHECK(toString(Error{"a.scn", 12, 7, "unknown command 'X'"}) == "a.scn:12:7: unknown command 'X'");
  CHECK(toString(Error{"a.scn", 12, 0, "bad"}) == "a.scn:12: bad");
  CHECK(toString(Error{"out.json", 0, 0, "cannot open"}) == "out.json: cannot open");
  CHECK(toString(Error{"", 0, 4, "bad job"}) == "column 4: bad job");
  CHECK(toString(Error{"", 3, 4, "bad job"}) == "line 3:4: bad job");
  CHECK(toString(Error{"", 0, 0, "bad flags"}) == "bad flags");
  CHECK(toString(std::vector<Error>{{"a", 1, 1, "x"}, {"b", 2, 0, "y"}}) == "a:1:1: x\nb:2: y");
}

TEST_CASE("locate places a one-line error in its file and line", "[vocab][status]") {
  Error e = locate(Error{"", 0, 4, "bad job"}, "x.scn", 9, 6);
  CHECK(e == Error{"x.scn", 9, 10, "bad job"});
  CHECK(locate(Error{"", 0, 0, "empty"}, "x.scn", 9, 6).column == 0);  // no column stays no column
}

TEST_CASE("Status is ok or carries its errors", "[vocab][status]") {
  Status ok;
  CHECK(ok.ok());
  CHECK(ok.errors().empty());
  Status bad = Status::fail("cannot read", "r.json");
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(static_cast<bool>(bad));
  CHECK(bad.message() == "r.json: cannot read");
}

TEST_CASE("Expected holds a value or errors, never both", "[vocab][status]") {
  Expected<int> v = 42;
  REQUIRE(v.ok());
  CHECK(*v == 42);
  CHECK(v.errors().empty());
  CHECK(v.status().ok());

  Expected<int> e = Error{"f", 1, 2, "no number"};
  CHECK_FALSE(e.ok());
  CHECK(e.message() == "f:1:2: no number");
  CHECK(e.status().message() == "f:1:2: no number");

  Expected<std::string> carried = Status::fail("gone", "x");
  CHECK(carried.message() == "x: gone");

  Expected<std::vector<int>> many = std::vector<Error>{{"a", 1, 0, "x"}, {"a", 2, 0, "y"}};
  CHECK(many.errors().size() == 2);

  Expected<std::string> s = std::string("text");
  CHECK(s->size() == 4);
  std::string moved = std::move(s).value();
  CHECK(moved == "text");
  // A temporary's value outlives the temporary (range-for over a member of it).
  auto make = [] { return Expected<std::vector<std::string>>(std::vector<std::string>{"a", "b"}); };
  std::string joined;
  for (const std::string& x : make().value()) joined += x;
  CHECK(joined == "ab");
}
