// select(2) and epoll(7) for Python's select module, knowing nothing of
// Node: ints and arrays in, a count or -errno out. Like every call that can
// wait they return -EINTR (at once when the main thread has signals to
// handle), for lib/posix/blocking.ts to run handlers and retry with the
// time left.
#pragma once

#include <stdint.h>

namespace pipefork {

// select(2) over fds [0, nr) for reading, [nr, nr + nw) for writing and
// [nr + nw, n) for exceptional conditions; ready[i] = 1 for each fds[i]
// found ready in its set. timeout_us < 0: no timeout. Every fd must be in
// [0, FD_SETSIZE) (the caller checks). The ready count, or -errno.
int px_select(const int32_t* fds, int nr, int nw, int n, int64_t timeout_us, uint8_t* ready);

// epoll_create1(2), always close-on-exec (PEP 446), is px_epoll_create()
// in nowait.h, shared with the awaitable twins' instance.
// epoll_ctl(2), the event's data being the fd.
int px_epoll_ctl(int epfd, int op, int fd, uint32_t events);
// epoll_wait(2) for at most maxevents events into out as (fd, events)
// pairs; the count, or -errno.
int px_epoll_wait(int epfd, int32_t* out, int maxevents, int timeout_ms);

}  // namespace pipefork
