#include "results/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <variant>

namespace bc {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxLinkHops = 40;  // as the kernel's ELOOP limit

std::string kindOf(fs::file_type t) {
  switch (t) {
    case fs::file_type::directory: return "a directory";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    default: return "not a regular file";
  }
}

// The file `path` names once its links are followed, or an error message.
std::variant<fs::path, std::string> resolveLinks(const std::string& path) {
  fs::path p(path);
  for (int hop = 0; hop <= kMaxLinkHops; ++hop) {
    std::error_code ec;
    fs::file_status st = fs::symlink_status(p, ec);
    if (ec || st.type() != fs::file_type::symlink) return p;
    fs::path to = fs::read_symlink(p, ec);
    if (ec) return "cannot read the link " + p.string() + ": " + ec.message();
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return path + ": too many levels of symbolic links";
}

std::string errnoText(int e) { return std::strerror(e); }

}  // namespace

std::optional<std::string> outputFileProblem(const std::string& path) {
  auto resolved = resolveLinks(path);
  if (auto* e = std::get_if<std::string>(&resolved)) return *e;
  const fs::path& target = std::get<fs::path>(resolved);
  std::error_code ec;
  fs::file_status st = fs::status(target, ec);
  if (ec || st.type() == fs::file_type::not_found || st.type() == fs::file_type::regular) return std::nullopt;
  std::string via = target.string() == path ? "" : " (where " + path + " leads)";
  return "refusing to replace " + target.string() + via + ": it is " + kindOf(st.type()) +
         ", and an output file must be a regular file";
}

void replaceFile(const std::string& path, std::string_view content) {
  if (auto problem = outputFileProblem(path)) throw OutputFileError(*problem);
  const fs::path target = std::get<fs::path>(resolveLinks(path));
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw OutputFileError("cannot create the folder " + dir.string() + ": " + ec.message());

  std::string tmp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(tmp.data());
  if (fd < 0) throw OutputFileError("cannot create a temporary file in " + dir.string() + ": " + errnoText(errno));
  auto fail = [&](const std::string& what, int e) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw OutputFileError("cannot write " + target.string() + ": " + what + ": " + errnoText(e) +
                          " (the previous file, if any, is kept)");
  };
  // The new file gets the old one's permissions, or what a plain create would give (mkstemp
  // makes it 0600).
  struct stat old{};
  mode_t mode;
  if (::stat(target.c_str(), &old) == 0) {
    mode = old.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  if (::fchmod(fd, mode) != 0) fail("fchmod", errno);
  for (size_t done = 0; done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write", errno);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync", errno);
  if (::close(fd) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    throw OutputFileError("cannot write " + target.string() + ": close: " + errnoText(e) +
                          " (the previous file, if any, is kept)");
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    throw OutputFileError("cannot replace " + target.string() + ": " + errnoText(e));
  }
  // The rename itself reaches the disk with the folder (as SQLite does for its journal).
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace bc
