// See posix_env.h.
#include "posix_env.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "retry.h"

namespace pipefork {

ssize_t px_getcwd(char* buf, size_t n) {
  if (::getcwd(buf, n) == nullptr) return -errno;
  return static_cast<ssize_t>(std::strlen(buf));
}

int px_chdir(const char* path) {
  return retry([&] { return ::chdir(path); });
}

int px_fchdir(int fd) {
  return retry([&] { return ::fchdir(fd); });
}

int px_umask(int mask) { return static_cast<int>(::umask(static_cast<mode_t>(mask))); }

int px_unlinkat(int dir_fd, const char* path) {
  return retry([&] { return ::unlinkat(dir_fd, path, 0); });
}

int px_getsid(int pid) {
  pid_t r = ::getsid(static_cast<pid_t>(pid));
  return r < 0 ? -errno : static_cast<int>(r);
}

}  // namespace pipefork
