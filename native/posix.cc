#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "retry.h"

namespace pipefork {

int px_pipe2(int fds[2], int flags) {
#if defined(__linux__)
  return retry([&] { return ::pipe2(fds, flags); });
#else
  // macOS has no pipe2: set the flags right after pipe(), as CPython does.
  int r = retry([&] { return ::pipe(fds); });
  if (r < 0) return r;
  for (int i = 0; i < 2; i++) {
    if ((flags & O_CLOEXEC) && ::fcntl(fds[i], F_SETFD, FD_CLOEXEC) < 0) goto fail;
    if ((flags & O_NONBLOCK) && ::fcntl(fds[i], F_SETFL, O_NONBLOCK) < 0) goto fail;
  }
  return 0;
fail:
  r = -errno;
  ::close(fds[0]);
  ::close(fds[1]);
  return r;
#endif
}

ssize_t px_read(int fd, void* buf, size_t n) { return once(::read(fd, buf, n)); }

ssize_t px_write(int fd, const void* buf, size_t n) { return once(::write(fd, buf, n)); }

ssize_t px_readv(int fd, const struct iovec* iov, int cnt) { return once(::readv(fd, iov, cnt)); }

ssize_t px_writev(int fd, const struct iovec* iov, int cnt) { return once(::writev(fd, iov, cnt)); }

int px_close(int fd) {
  // Never retry close(): on Linux the fd is released even when EINTR is
  // reported, and a retry could close an fd another thread just opened.
  // CPython ignores EINTR here for the same reason (PEP 475).
  if (::close(fd) < 0 && errno != EINTR) return -errno;
  return 0;
}

void px_closerange(int lo, int hi) {
  // Python's closerange(lo, hi) excludes hi and ignores every error.
  if (lo < 0) lo = 0;
  if (hi <= lo) return;
#if defined(__linux__) && defined(SYS_close_range)
  if (::syscall(SYS_close_range, static_cast<unsigned>(lo), static_cast<unsigned>(hi - 1), 0) == 0) return;
#endif
  // Without close_range: up to the fd limit, not hi (closerange(3, 2**31-1)
  // would otherwise make two billion close() calls).
  long limit = ::sysconf(_SC_OPEN_MAX);
  if (limit > 0 && limit < hi) hi = static_cast<int>(limit);
  for (int fd = lo; fd < hi; fd++) ::close(fd);
}

int px_dup(int fd) {
  // PEP 446: the duplicate is non-inheritable.
  return retry([&] { return ::fcntl(fd, F_DUPFD_CLOEXEC, 0); });
}

int px_dup2(int fd, int fd2, bool inheritable) {
#if defined(__linux__)
  if (!inheritable && fd != fd2) return retry([&] { return ::dup3(fd, fd2, O_CLOEXEC); });
#endif
  int r = retry([&] { return ::dup2(fd, fd2); });
  if (r >= 0 && !inheritable) {
    int s = px_set_inheritable(fd2, false);
    if (s < 0) return s;
  }
  return r;
}

int px_get_inheritable(int fd) {
  int flags = ::fcntl(fd, F_GETFD);
  if (flags < 0) return -errno;
  return (flags & FD_CLOEXEC) ? 0 : 1;
}

int px_set_inheritable(int fd, bool inheritable) {
  int flags = ::fcntl(fd, F_GETFD);
  if (flags < 0) return -errno;
  int want = inheritable ? (flags & ~FD_CLOEXEC) : (flags | FD_CLOEXEC);
  if (want != flags && ::fcntl(fd, F_SETFD, want) < 0) return -errno;
  return 0;
}

int px_get_blocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return -errno;
  return (flags & O_NONBLOCK) ? 0 : 1;
}

int px_set_blocking(int fd, bool blocking) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return -errno;
  int want = blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
  if (want != flags && ::fcntl(fd, F_SETFL, want) < 0) return -errno;
  return 0;
}

int px_open(const char* path, int flags, int mode) {
  // PEP 446: every fd we create is close-on-exec.
  return once(::open(path, flags | O_CLOEXEC, mode));
}

int px_mkfifo(const char* path, int mode) {
  return retry([&] { return ::mkfifo(path, static_cast<mode_t>(mode)); });
}

int px_isatty(int fd) { return ::isatty(fd) ? 1 : 0; }

int64_t px_lseek(int fd, int64_t pos, int whence) {
  off_t r = ::lseek(fd, static_cast<off_t>(pos), whence);
  return r < 0 ? -static_cast<int64_t>(errno) : static_cast<int64_t>(r);
}

int px_fstat(int fd, StatResult* out) {
  struct stat st;
  int r = retry([&] { return ::fstat(fd, &st); });
  if (r < 0) return r;
  out->mode = st.st_mode;
  out->ino = static_cast<int64_t>(st.st_ino);
  out->dev = static_cast<int64_t>(st.st_dev);
  out->nlink = static_cast<int64_t>(st.st_nlink);
  out->uid = st.st_uid;
  out->gid = st.st_gid;
  out->size = st.st_size;
  out->blksize = st.st_blksize;
  out->blocks = st.st_blocks;
  out->rdev = static_cast<int64_t>(st.st_rdev);
#if defined(__APPLE__)
  const struct timespec &a = st.st_atimespec, &m = st.st_mtimespec, &c = st.st_ctimespec;
#else
  const struct timespec &a = st.st_atim, &m = st.st_mtim, &c = st.st_ctim;
#endif
  out->atime_s = a.tv_sec;
  out->atime_ns = a.tv_nsec;
  out->mtime_s = m.tv_sec;
  out->mtime_ns = m.tv_nsec;
  out->ctime_s = c.tv_sec;
  out->ctime_ns = c.tv_nsec;
  return 0;
}

int px_ftruncate(int fd, int64_t length) {
  return retry([&] { return ::ftruncate(fd, static_cast<off_t>(length)); });
}

int64_t px_read_hint(int fd) {
  // Only pipes and regular files: on a datagram socket a shorter read would
  // make the kernel drop the rest of the datagram, so those get all of n.
  struct stat st;
  if (::fstat(fd, &st) < 0 || !(S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode))) return -1;
  if (S_ISREG(st.st_mode)) {
    // FIONREAD on a file is an int: past 2 GiB left it wraps. Size minus
    // position in 64 bits instead.
    off_t pos = ::lseek(fd, 0, SEEK_CUR);
    if (pos < 0) return -1;
    return st.st_size > pos ? static_cast<int64_t>(st.st_size - pos) : 0;
  }
  int avail = 0;
  if (::ioctl(fd, FIONREAD, &avail) < 0) return -1;
  if (avail > 0) return avail;
#if defined(__linux__) && defined(F_GETPIPE_SZ)
  int cap = ::fcntl(fd, F_GETPIPE_SZ);
  if (cap > 0) return cap;
#endif
  return 0;
}

}  // namespace pipefork
