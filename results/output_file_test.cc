// Output files are replaced safely: links followed, devices refused, a full disk keeps the old
// file, and concurrent writers never share a temporary file.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "results/results.h"

using namespace bc;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("bc-output-file-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes a results file naming `sut` (the public way output is written).
// Returns the error's text form, "" when written.
std::string write(const fs::path& p, const std::string& sut) {
  Results r;
  r.run.sutName = sut;
  return writeResultsFile(r, p.string()).message();
}
std::string sutIn(const fs::path& p) { return readResultsFile(p.string()).value().run.sutName; }

size_t entries(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("an output file is replaced whole, and its old permissions stay", "[reports][output]") {
  fs::path d = freshDir("replace");
  fs::path f = d / "sub" / "out.json";
  CHECK(write(f, "first").empty());
  CHECK(sutIn(f) == "first");
  ::chmod(f.c_str(), 0640);
  CHECK(write(f, "second").empty());
  CHECK(sutIn(f) == "second");
  struct stat st{};
  REQUIRE(::stat(f.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(entries(d / "sub") == 1);  // no temporary file left behind
  fs::remove_all(d);
}

TEST_CASE("a symbolic link is followed: its target is replaced, the link stays", "[reports][output]") {
  fs::path d = freshDir("link");
  fs::create_directories(d / "real");
  std::ofstream(d / "real" / "results.json") << "old";
  fs::create_symlink("real/results.json", d / "link.json");
  fs::create_symlink("nowhere/new.json", d / "dangling.json");
  fs::create_directories(d / "nowhere");
  CHECK(write(d / "link.json", "new").empty());
  CHECK(fs::is_symlink(d / "link.json"));
  CHECK(sutIn(d / "real" / "results.json") == "new");
  CHECK(write(d / "dangling.json", "created").empty());
  CHECK(fs::is_symlink(d / "dangling.json"));
  CHECK(sutIn(d / "nowhere" / "new.json") == "created");
  fs::create_symlink("loop2", d / "loop1");
  fs::create_symlink("loop1", d / "loop2");
  CHECK(write(d / "loop1", "x") == (d / "loop1").string() + ": too many levels of symbolic links");
  fs::remove_all(d);
}

TEST_CASE("a target that is not a regular file is refused and left alone", "[reports][output]") {
  fs::path d = freshDir("device");
  REQUIRE(::mkfifo((d / "fifo").c_str(), 0600) == 0);
  fs::create_directories(d / "folder.json");
  fs::create_symlink("/dev/null", d / "null-link");
  CHECK(write(d / "fifo", "x") ==
        (d / "fifo").string() + ": refusing to replace it: it is a FIFO, and an output file must be a regular file");
  CHECK(fs::is_fifo(d / "fifo"));
  CHECK_THAT(write(d / "folder.json", "x"), Catch::Contains("it is a directory"));
  CHECK(fs::is_directory(d / "folder.json"));
  // Run as root, renaming over /dev/null would replace the system's /dev/null.
  // The link to it is followed and refused.
  CHECK_THAT(write(d / "null-link", "x"),
             Catch::StartsWith("/dev/null: refusing to replace it (" + (d / "null-link").string() + " leads there)") &&
                 Catch::Contains("character device"));
  CHECK(fs::is_character_file("/dev/null"));
  CHECK(fs::is_symlink(d / "null-link"));
  CHECK(entries(d) == 3);
  fs::remove_all(d);
}

TEST_CASE("writers never share a temporary file", "[reports][output]") {
  // The old writer used OUT.tmp: two runs with the same --out clobbered each other's, and a
  // planted OUT.tmp (a link elsewhere) was written through.
  fs::path d = freshDir("tmp");
  std::ofstream(d / "results.json.tmp") << "another run's half-written file";
  CHECK(write(d / "results.json", "mine").empty());
  CHECK(readAll(d / "results.json.tmp") == "another run's half-written file");
  CHECK(sutIn(d / "results.json") == "mine");
  CHECK(entries(d) == 2);
  fs::remove_all(d);
}

TEST_CASE("a full disk keeps the old file and says so", "[reports][output]") {
  fs::path d = freshDir("full");
  fs::path f = d / "results.json";
  std::ofstream(f) << "the previous run";
  // A file size limit fails the write with EFBIG as a full disk does with ENOSPC.
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    const std::string what = write(f, std::string(100000, 'x'));
    if (what.empty()) _exit(1);
    _exit(what.rfind(f.string() + ": cannot write: write: File too large", 0) == 0 &&
                  what.find("previous file") != std::string::npos
              ? 0
              : 2);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(readAll(f) == "the previous run");
  CHECK(entries(d) == 1);
  fs::remove_all(d);
}

TEST_CASE("results with text that is not UTF-8 are written, never lost", "[reports][output]") {
  fs::path d = freshDir("utf8");
  Results r;
  r.run.sutName = "caf\xE9";
  r.notes.push_back("cut in half: \xE2\x82");
  ScenarioOutcome s;
  s.path = "scenarios/\xFF.scenario";
  s.title = "Cr\xE8me";
  r.scenarios.push_back(s);
  REQUIRE(writeResultsFile(r, (d / "r.json").string()).ok());
  Results back = readResultsFile((d / "r.json").string()).value();
  CHECK(back.run.sutName == "caf\xEF\xBF\xBD");
  CHECK(back.notes[0] == "cut in half: \xEF\xBF\xBD");
  CHECK(back.scenarios[0].title == "Cr\xEF\xBF\xBDme");
  fs::remove_all(d);
}
