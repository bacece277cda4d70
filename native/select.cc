// select(2) and epoll(7): see select.h.
#include "select.h"

#include <errno.h>
#include <sys/select.h>

#include <vector>

#include "retry.h"
#include "signals.h"

#if defined(__linux__)
#include <sys/epoll.h>
#endif

namespace pipefork {

int px_select(const int32_t* fds, int nr, int nw, int n, int64_t timeout_us, uint8_t* ready) {
  if (px_signals_pending()) return -EINTR;
  fd_set sets[3];
  for (fd_set& s : sets) FD_ZERO(&s);
  int maxfd = -1;
  for (int i = 0; i < n; i++) {
    int which = i < nr ? 0 : i < nr + nw ? 1 : 2;
    FD_SET(fds[i], &sets[which]);
    if (fds[i] > maxfd) maxfd = fds[i];
  }
  struct timeval tv, *tvp = nullptr;
  if (timeout_us >= 0) {
    tv.tv_sec = static_cast<time_t>(timeout_us / 1000000);
    tv.tv_usec = static_cast<suseconds_t>(timeout_us % 1000000);
    tvp = &tv;
  }
  int r = once(::select(maxfd + 1, &sets[0], &sets[1], &sets[2], tvp));
  if (r < 0) return r;
  // CPython reports each list entry found in its set, duplicates included.
  for (int i = 0; i < n; i++) {
    int which = i < nr ? 0 : i < nr + nw ? 1 : 2;
    ready[i] = FD_ISSET(fds[i], &sets[which]) ? 1 : 0;
  }
  return r;
}

#if defined(__linux__)

int px_epoll_ctl(int epfd, int op, int fd, uint32_t events) {
  struct epoll_event ev = {};
  ev.events = events;
  ev.data.fd = fd;
  return retry([&] { return ::epoll_ctl(epfd, op, fd, &ev); });
}

int px_epoll_wait(int epfd, int32_t* out, int maxevents, int timeout_ms) {
  if (px_signals_pending()) return -EINTR;
  // A selectors loop waits on a few fds: no allocation for those.
  struct epoll_event small[64];
  std::vector<struct epoll_event> big;
  struct epoll_event* evs = small;
  if (maxevents > 64) {
    big.resize(static_cast<size_t>(maxevents));
    evs = big.data();
  }
  int r = once(::epoll_wait(epfd, evs, maxevents, timeout_ms));
  for (int i = 0; i < r; i++) {
    out[2 * i] = evs[i].data.fd;
    out[2 * i + 1] = static_cast<int32_t>(evs[i].events);
  }
  return r;
}

#else

int px_epoll_ctl(int, int, int, uint32_t) { return -ENOSYS; }
int px_epoll_wait(int, int32_t*, int, int) { return -ENOSYS; }

#endif

}  // namespace pipefork
