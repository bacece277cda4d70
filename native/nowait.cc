#include "nowait.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/epoll.h>
#endif

#include "retry.h"

namespace pipefork {

namespace {

// Kernels that predate the call (ENOSYS) or the flag (EOPNOTSUPP, as the
// man page documents for an unknown flag) both mean "take the fallback".
ssize_t unsupported_as_eopnotsupp(ssize_t r) { return r == -ENOSYS ? -EOPNOTSUPP : r; }

}  // namespace

ssize_t px_read_nowait(int fd, void* buf, size_t n) {
#if defined(__linux__) && defined(RWF_NOWAIT)
  struct iovec iov = {buf, n};
  return unsupported_as_eopnotsupp(retry([&] { return ::preadv2(fd, &iov, 1, -1, RWF_NOWAIT); }));
#else
  (void)fd, (void)buf, (void)n;
  return -EOPNOTSUPP;
#endif
}

ssize_t px_write_nowait(int fd, const void* buf, size_t n) {
#if defined(__linux__) && defined(RWF_NOWAIT)
  struct iovec iov = {const_cast<void*>(buf), n};
  return unsupported_as_eopnotsupp(retry([&] { return ::pwritev2(fd, &iov, 1, -1, RWF_NOWAIT); }));
#else
  (void)fd, (void)buf, (void)n;
  return -EOPNOTSUPP;
#endif
}

ssize_t px_recv_dontwait(int fd, void* buf, size_t n) {
  return retry([&] { return ::recv(fd, buf, n, MSG_DONTWAIT); });
}

ssize_t px_send_dontwait(int fd, const void* buf, size_t n) {
#if defined(MSG_NOSIGNAL)
  const int flags = MSG_DONTWAIT | MSG_NOSIGNAL;
#else
  const int flags = MSG_DONTWAIT;
#endif
  return retry([&] { return ::send(fd, buf, n, flags); });
}

int px_reopen_nonblock(int fd, int access) {
  char path[48];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  // open() of a FIFO with O_NONBLOCK never waits for the other end.
  return retry([&] { return ::open(path, access | O_NONBLOCK | O_CLOEXEC | O_NOCTTY); });
}

int px_fionread(int fd) {
  int n = 0;
  int r = retry([&] { return ::ioctl(fd, FIONREAD, &n); });
  return r < 0 ? r : n;
}

#if defined(__linux__)

int px_epoll_create() {
  return retry([] { return ::epoll_create1(EPOLL_CLOEXEC); });
}

int px_epoll_arm(int epfd, int fd, uint32_t events, uint64_t data) {
  struct epoll_event ev;
  ev.events = events | EPOLLONESHOT;
  ev.data.u64 = data;
  int r = retry([&] { return ::epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev); });
  if (r != -ENOENT) return r;
  r = retry([&] { return ::epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev); });
  // Registered between the two calls cannot happen (one thread); EEXIST
  // would mean MOD's ENOENT was for another reason: report that.
  return r == -EEXIST ? -ENOENT : r;
}

int px_epoll_remove(int epfd, int fd) {
  struct epoll_event ev = {};
  return retry([&] { return ::epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev); });
}

int px_epoll_poll(int epfd, uint64_t* data, uint32_t* events, int max) {
  struct epoll_event evs[64];
  if (max > 64) max = 64;
  int n = retry([&] { return ::epoll_wait(epfd, evs, max, 0); });
  for (int i = 0; i < n; i++) {
    data[i] = evs[i].data.u64;
    events[i] = evs[i].events;
  }
  return n;
}

#else

// No epoll: the awaitable twins are Linux-only for now (docs/async.md).
int px_epoll_create() { return -ENOSYS; }
int px_epoll_arm(int, int, uint32_t, uint64_t) { return -ENOSYS; }
int px_epoll_remove(int, int) { return -ENOSYS; }
int px_epoll_poll(int, uint64_t*, uint32_t*, int) { return -ENOSYS; }

#endif

}  // namespace pipefork
