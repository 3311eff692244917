// results_file.cc: reading and writing a results file (results.h).
#include <fstream>
#include <sstream>

#include "results/output_file.h"
#include "results/results.h"

namespace bc {

using nlohmann::json;

void writeResultsFile(const Results& r, const std::string& path) {
  // Text from outside is made valid UTF-8 where it enters; `replace` is the last guard, so that
  // writing never throws on content (a lost results file would hide the whole run).
  replaceFile(path, toJson(r).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

Results readResultsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ResultsError(path + ": cannot open");
  try {
    json j = json::parse(in);
    return resultsFromJson(j);
  } catch (const json::exception& e) {
    throw ResultsError(path + ": not JSON: " + e.what());
  } catch (const ResultsError& e) {
    throw ResultsError(path + ": " + e.what());
  }
}


}  // namespace bc
