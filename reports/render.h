// render.h: results files -> Markdown, self-contained HTML and JUnit XML.
//
// Each renderer takes one or more runs (e.g. model, mock, Wine, Windows) and puts them side by
// side: a rules x implementations matrix (each verdict with its witness), then every failure
// with its minimal scenario and replay line, then every scenario's observed trace. Output is a pure function of the input (no clock, no environment), so approval
// tests can pin it. Every string that came from a SUT or a results file is escaped.
#pragma once

#include <string>
#include <vector>

#include "reports/results.h"

namespace bc {

std::string renderMarkdown(const std::vector<Results>& runs);
// One page, no network: inline CSS and JS (filters by group and verdict). The script sets
// document.title to end in " [ready]" and <body data-ready="ok"> once it ran without error.
std::string renderHtml(const std::vector<Results>& runs);
// One <testsuite> per run, one <testcase> per rule; a failure carries its counterexample.
std::string renderJunit(const std::vector<Results>& runs);

// Escaping helpers (shared by the renderers; exposed for tests).
std::string escapeHtml(std::string_view s);   // & < > " '
std::string escapeXml(std::string_view s);    // also drops characters XML 1.0 forbids
std::string escapeMarkdownCell(std::string_view s);  // | and newlines, HTML-significant < >
std::string joinWords(const std::vector<std::string>& words);  // "REG-8, CB-14"
// What backs a rule's verdict, in words: "scenario scenarios/x.scenario", "capability c: <evidence>",
// "properties only" (pass/fail found by properties alone), or "" (verdicts that need none).
std::string witnessLabel(const RuleResult& r);
// An HTML id for a scenario's trace section in run `run`: stable, no blanks or markup.
std::string traceAnchor(size_t run, std::string_view scenarioPath);
// A column label for a run: the SUT name, with the spec when two runs share a name.
std::vector<std::string> runLabels(const std::vector<Results>& runs);

}  // namespace bc
