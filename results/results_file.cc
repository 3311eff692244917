// results_file.cc: reading and writing a results file (results.h).
#include <fstream>
#include <sstream>

#include "results/json_input.h"
#include "results/output_file.h"
#include "results/results.h"

namespace bc {

using nlohmann::json;

Status writeResultsFile(const Results& r, const std::string& path) {
  // Text from outside is made valid UTF-8 where it enters; `replace` is the last guard, so that
  // writing never throws on content (a lost results file would hide the whole run).
  return replaceFile(path, toJson(r).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

Expected<Results> readResultsFile(const std::string& path) {
  auto text = readInputFile(path);
  if (!text.ok()) return text.status();
  auto j = parseJsonInput(*text, path);
  if (!j.ok()) return j.status();
  auto r = resultsFromJson(*j);
  if (!r.ok()) return locate(r.errors().front(), path, 0);
  return r;
}


}  // namespace bc
