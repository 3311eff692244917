#include <catch2/catch.hpp>

#include "reports/render.h"

using namespace bc;

TEST_CASE("escaping neutralises markup", "[reports]") {
  CHECK(escapeHtml("<script>alert('x')</script> & \"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;");
  CHECK(escapeXml(std::string("a\x01<b>\tc\n", 9)) == "a&lt;b&gt;\tc\n");
  CHECK(escapeMarkdownCell("a|b\n<i>") == "a\\|b<br>&lt;i&gt;");
}

TEST_CASE("run labels tell runs of the same SUT apart", "[reports]") {
  std::vector<Results> runs(3);
  runs[0].run.sutName = "mock";
  runs[0].run.sutSpec = "mock";
  runs[1].run.sutName = "mock";
  runs[1].run.sutSpec = "mock:mutant=late";
  runs[2].run.sutName = "wine";
  CHECK(runLabels(runs) == std::vector<std::string>{"mock (mock)", "mock (mock:mutant=late)", "wine"});
}
