// Reads and writes that never wait, on fds whose flags stay as they are, and
// the private epoll instance the awaitable twins wait in. Ints and buffers
// in, a result >= 0 or -errno out, no Node (docs/async.md, "How it works").
//
// O_NONBLOCK belongs to the open file description, which a child process or
// another thread may share: setting it would make a Python child's blocking
// os.read on the same pipe fail with EAGAIN. So each call asks for "do not
// wait" itself: RWF_NOWAIT (pipes, sockets), MSG_DONTWAIT (sockets on older
// kernels), or a private description of the same file opened O_NONBLOCK
// through /proc/self/fd (FIFOs opened by path, ttys).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace pipefork {

// preadv2/pwritev2(fd, ..., -1, RWF_NOWAIT): the count; -EAGAIN where a
// blocking call would wait; -EOPNOTSUPP where this file (a FIFO opened by
// path, a tty) or this kernel (before 4.14, or pipes before 5.x) has no
// RWF_NOWAIT. EINTR is retried: nothing here waits.
ssize_t px_read_nowait(int fd, void* buf, size_t n);
ssize_t px_write_nowait(int fd, const void* buf, size_t n);

// recv/send(MSG_DONTWAIT) on a socket (send with MSG_NOSIGNAL): -ENOTSOCK otherwise.
ssize_t px_recv_dontwait(int fd, void* buf, size_t n);
ssize_t px_send_dontwait(int fd, const void* buf, size_t n);

// open("/proc/self/fd/<fd>", access | O_NONBLOCK | O_CLOEXEC): a new open
// file description of the same FIFO or tty, ours alone. access is O_RDONLY
// or O_WRONLY. -errno (ENXIO for sockets, ENOENT without /proc).
int px_reopen_nonblock(int fd, int access);

// ioctl(FIONREAD): the bytes a pipe, FIFO, socket or tty holds now.
int px_fionread(int fd);

// The private epoll instance (close-on-exec), one per Node environment.
int px_epoll_create();
// Arms fd for one report of `events` (EPOLLONESHOT is added) carrying
// `data`: EPOLL_CTL_MOD, or ADD when fd is not registered yet. -EPERM for a
// file epoll cannot watch (a regular file, a directory).
int px_epoll_arm(int epfd, int fd, uint32_t events, uint64_t data);
int px_epoll_remove(int epfd, int fd);
// epoll_wait(epfd, timeout 0): how many of max slots were filled, each as
// (data, events).
int px_epoll_poll(int epfd, uint64_t* data, uint32_t* events, int max);

}  // namespace pipefork
