// Thin POSIX wrappers that know nothing of Node: ints and buffers in,
// a result >= 0 or -errno out.
//
// EINTR (PEP 475): the calls that can wait (read, write, readv, writev, and
// open, which waits on a FIFO) make one syscall and return -EINTR, so that
// lib/posix/blocking.ts can run signal handlers before it retries them
// (docs/architecture.md, "EINTR"). The calls that do not wait retry EINTR
// here (retry.h) and never return it.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>

namespace pipefork {

struct StatResult {
  int64_t mode, ino, dev, nlink, uid, gid, size, blksize, blocks, rdev;
  // Seconds and nanoseconds apart, so JS can build exact BigInt *_ns values.
  int64_t atime_s, atime_ns, mtime_s, mtime_ns, ctime_s, ctime_ns;
};

int px_pipe2(int fds[2], int flags);
// May return -EINTR.
ssize_t px_read(int fd, void* buf, size_t n);
// May return -EINTR.
ssize_t px_write(int fd, const void* buf, size_t n);
// readv(2)/writev(2) on cnt iovecs (struct iovec from <sys/uio.h>). May return -EINTR.
ssize_t px_readv(int fd, const struct iovec* iov, int cnt);
ssize_t px_writev(int fd, const struct iovec* iov, int cnt);
int px_close(int fd);
void px_closerange(int lo, int hi);
int px_dup(int fd);
int px_dup2(int fd, int fd2, bool inheritable);
int px_get_inheritable(int fd);
int px_set_inheritable(int fd, bool inheritable);
int px_get_blocking(int fd);
int px_set_blocking(int fd, bool blocking);
// May return -EINTR (opening a FIFO waits for the other end).
int px_open(const char* path, int flags, int mode);
int px_mkfifo(const char* path, int mode);
int px_isatty(int fd);
int64_t px_lseek(int fd, int64_t pos, int whence);
int px_fstat(int fd, StatResult* out);
int px_ftruncate(int fd, int64_t length);
// How many bytes a read(fd, n) with a large n can usefully ask for: for a
// pipe, the bytes ready now, else its capacity; for a regular file, the bytes
// left; -1 for anything else (ask for all of n).
int64_t px_read_hint(int fd);

}  // namespace pipefork
