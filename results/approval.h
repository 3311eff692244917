// approval.h: approval testing for the renderers (test-only helper).
//
// checkApproved(name, received) compares `received` with testdata/<name>. On a mismatch it
// writes testdata/<stem>.received.<ext>, prints the diff command and fails the test. With
// BITSCONFORM_APPROVE=1 it rewrites the approved file instead (review the git diff after).
#pragma once

#include <string>

#include "results/results.h"

namespace bc::testing {

std::string testdataPath(const std::string& name);
Results loadFixture(const std::string& name);  // testdata/<name>, a results file
void checkApproved(const std::string& approvedName, const std::string& received);

}  // namespace bc::testing
