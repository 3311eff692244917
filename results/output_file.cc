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

// The file `path` names once its links are followed, or the error naming the link.
Expected<fs::path> resolveLinks(const std::string& path) {
  fs::path p(path);
  for (int hop = 0; hop <= kMaxLinkHops; ++hop) {
    std::error_code ec;
    fs::file_status st = fs::symlink_status(p, ec);
    if (ec || st.type() != fs::file_type::symlink) return p;
    fs::path to = fs::read_symlink(p, ec);
    if (ec) return Error{p.string(), 0, 0, "cannot read the link: " + ec.message()};
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return Error{path, 0, 0, "too many levels of symbolic links"};
}

std::string errnoText(int e) { return std::strerror(e); }

}  // namespace

Status outputFileProblem(const std::string& path) {
  auto resolved = resolveLinks(path);
  if (!resolved.ok()) return resolved.status();
  const fs::path& target = *resolved;
  std::error_code ec;
  fs::file_status st = fs::status(target, ec);
  if (ec || st.type() == fs::file_type::not_found || st.type() == fs::file_type::regular) return {};
  std::string via = target.string() == path ? "" : " (" + path + " leads there)";
  return Error{target.string(), 0, 0,
               "refusing to replace it" + via + ": it is " + kindOf(st.type()) + ", and an output file must be a regular file"};
}

Status replaceFile(const std::string& path, std::string_view content) {
  if (Status problem = outputFileProblem(path); !problem.ok()) return problem;
  const fs::path target = resolveLinks(path).value();
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{dir.string(), 0, 0, "cannot create the folder: " + ec.message()};

  std::string tmp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(tmp.data());
  if (fd < 0) return Error{dir.string(), 0, 0, "cannot create a temporary file: " + errnoText(errno)};
  auto fail = [&](const std::string& what, int e) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return Error{target.string(), 0, 0, "cannot write: " + what + ": " + errnoText(e) + " (the previous file, if any, is kept)"};
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
  if (::fchmod(fd, mode) != 0) return fail("fchmod", errno);
  for (size_t done = 0; done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write", errno);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync", errno);
  if (::close(fd) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error{target.string(), 0, 0, "cannot write: close: " + errnoText(e) + " (the previous file, if any, is kept)"};
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return Error{target.string(), 0, 0, "cannot replace it: " + errnoText(e)};
  }
  // The rename itself reaches the disk with the folder (as SQLite does for its journal).
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace bc
