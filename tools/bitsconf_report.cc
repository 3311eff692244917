// bitsconf_report.cc: `bitsconf report`, results files rendered for people and CI (Markdown, HTML, JUnit).
#include <iostream>

#include "reports/render.h"
#include "results/output_file.h"
#include "results/results.h"
#include "tools/bitsconf.h"

namespace bc {

namespace {

Expected<std::vector<Results>> readAll(const std::vector<std::string>& paths) {
  std::vector<Results> out;
  for (const auto& p : paths) {
    auto r = readResultsFile(p);
    if (!r.ok()) return r.status();
    out.push_back(std::move(r).value());
  }
  return out;
}

// Reports are replaced like results files (results/output_file.h): never half-written, never
// through a device or a planted temporary file.
Status writeText(const std::string& path, const std::string& text) { return replaceFile(path, text); }

int reportCommand(const std::vector<std::string>& inputs, const std::string& html, const std::string& markdown,
                  const std::string& junit) {
  auto read = readAll(inputs);
  if (!read.ok()) return std::cerr << "bitsconf report: " << read.message() << "\n", kExitInput;
  const std::vector<Results>& runs = *read;
  for (const auto& [path, render] : {std::pair{html, &renderHtml}, std::pair{markdown, &renderMarkdown},
                                     std::pair{junit, &renderJunit}}) {
    if (path.empty()) continue;
    if (Status written = writeText(path, render(runs)); !written.ok())
      return std::cerr << "bitsconf report: " << written.message() << "\n", kExitInput;
  }
  if (html.empty() && markdown.empty() && junit.empty()) std::cout << renderMarkdown(runs);
  return kExitOk;
}

}  // namespace

void addReportCommand(CLI::App& app, Action& action) {
  struct Opts { std::vector<std::string> inputs; std::string html, markdown, junit; };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Render results files (several side by side: model, mock, Wine, Windows); Markdown to stdout by default");
  cmd->add_option("inputs", o->inputs, "results files")->required()->check(CLI::ExistingFile);
  cmd->add_option("--html", o->html, "write a self-contained HTML page");
  cmd->add_option("--markdown", o->markdown, "write Markdown");
  cmd->add_option("--junit", o->junit, "write JUnit XML (one testcase per rule)");
  cmd->callback([&action, o] { action = [o] { return reportCommand(o->inputs, o->html, o->markdown, o->junit); }; });
}

}  // namespace bc
