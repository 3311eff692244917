#include "vocab/bits_types.h"

#include <catch2/catch.hpp>

using namespace bc;

TEST_CASE("job states have the BG_JOB_STATE values", "[vocab][STATE-1]") {
  CHECK(static_cast<int>(JobState::Queued) == 0);
  CHECK(static_cast<int>(JobState::TransientError) == 5);
  CHECK(static_cast<int>(JobState::Cancelled) == 8);
  CHECK(toString(JobState::TransientError) == "TRANSIENT_ERROR");
  CHECK(parseJobState("ACKNOWLEDGED") == JobState::Acknowledged);
  CHECK(isFinal(JobState::Acknowledged));
  CHECK_FALSE(isFinal(JobState::Transferred));
}

TEST_CASE("flag values, names and version masks", "[vocab][FLAG-1][FLAG-11]") {
  CHECK(notify::kDefault == 0x3);
  CHECK(flagsToString(0x0B) == "0x0B (TRANSFERRED|ERROR|MODIFICATION)");
  CHECK(flagsToString(0x80) == "0x80 (0x80)");
  CHECK(validFlagMask(BitsVersion::V2_5) == 0x0F);
  CHECK(validFlagMask(BitsVersion::V3_0) == 0x1F);
  CHECK(validFlagMask(BitsVersion::V10_1) == 0x3F);
}

TEST_CASE("GUIDs print in registry format and parse back", "[vocab]") {
  Guid g = guidOf(ClassId::B);
  CHECK(toString(g) == "{B17C0F00-0000-4000-8000-000000000002}");
  CHECK(parseGuid(toString(g)) == g);
  CHECK(guidOf(ClassId::Null).isNull());
  CHECK_FALSE(parseGuid("{B17C0F00-0000-4000-8000-00000000000}").has_value());
  CHECK(parseClassId("ClsidC") == ClassId::C);
  CHECK(parseBitsVersion("5.0") == BitsVersion::V5_0);
}

TEST_CASE("versions fall in ranges of the same notification behaviour", "[vocab][VER-1][VER-2][VER-3][VER-4][VER-5]") {
  using V = BitsVersion;
  CHECK(sameBehaviour(V::V1_0, V::V1_2));
  CHECK_FALSE(sameBehaviour(V::V1_2, V::V1_5));
  CHECK(sameBehaviour(V::V2_0, V::V2_5));
  CHECK(sameBehaviour(V::V3_0, V::V4_0));
  CHECK(sameBehaviour(V::V5_0, V::V10_0));
  CHECK(sameBehaviour(V::V10_1, V::V10_3));
  CHECK_FALSE(sameBehaviour(V::V10_0, V::V10_1));
}
