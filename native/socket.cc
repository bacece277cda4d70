#include "socket.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "retry.h"
#include "signals.h"

namespace pipefork {

namespace {

#if !defined(SOCK_CLOEXEC)
// macOS has no SOCK_CLOEXEC or accept4: set FD_CLOEXEC right after, as
// CPython does there.
int SetCloexec(int fd) {
  if (::fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
    int e = errno;
    ::close(fd);
    return -e;
  }
  return fd;
}
#endif

// A sockaddr_un for sun_path bytes; its length as the kernel wants it: the
// whole name for an abstract address, the path and its NUL otherwise.
socklen_t UnixAddress(struct sockaddr_un* addr, const uint8_t* path, size_t len) {
  ::memset(addr, 0, sizeof(*addr));
  addr->sun_family = AF_UNIX;
  if (len > sizeof(addr->sun_path)) len = sizeof(addr->sun_path);  // the caller checked; never overflow
  // An empty path's bytes may be a null pointer (an empty Uint8Array has no
  // store), and memcpy(dst, NULL, 0) is undefined behaviour (UBSan: Client('')).
  if (len > 0) ::memcpy(addr->sun_path, path, len);
  bool abstract = len > 0 && path[0] == 0;
  size_t n = offsetof(struct sockaddr_un, sun_path) + len + (abstract || len == sizeof(addr->sun_path) ? 0 : 1);
  return static_cast<socklen_t>(n);
}

// The sun_path bytes of an address the kernel filled: len bytes for an
// abstract name, up to the NUL for a path, none for an unnamed socket.
void PathOf(const struct sockaddr_un& addr, socklen_t addrlen, uint8_t* path, size_t* len) {
  size_t n = addrlen > offsetof(struct sockaddr_un, sun_path) ? addrlen - offsetof(struct sockaddr_un, sun_path) : 0;
  if (n > sizeof(addr.sun_path)) n = sizeof(addr.sun_path);
  if (n > 0 && addr.sun_path[0] != 0) n = ::strnlen(addr.sun_path, n);
  ::memcpy(path, addr.sun_path, n);
  *len = n;
}

}  // namespace

size_t px_sun_path_size() { return sizeof(((struct sockaddr_un*)nullptr)->sun_path); }

int px_socketpair(int domain, int type, int fds[2]) {
#if defined(SOCK_CLOEXEC)
  return retry([&] { return ::socketpair(domain, type | SOCK_CLOEXEC, 0, fds); });
#else
  int r = retry([&] { return ::socketpair(domain, type, 0, fds); });
  if (r < 0) return r;
  if (::fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 || ::fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0) {
    int e = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return -e;
  }
  return 0;
#endif
}

int px_socket(int domain, int type) {
#if defined(SOCK_CLOEXEC)
  return retry([&] { return ::socket(domain, type | SOCK_CLOEXEC, 0); });
#else
  int fd = retry([&] { return ::socket(domain, type, 0); });
  return fd < 0 ? fd : SetCloexec(fd);
#endif
}

int px_bind_unix(int fd, const uint8_t* path, size_t len) {
  struct sockaddr_un addr;
  socklen_t n = UnixAddress(&addr, path, len);
  return retry([&] { return ::bind(fd, reinterpret_cast<struct sockaddr*>(&addr), n); });
}

int px_connect_unix(int fd, const uint8_t* path, size_t len) {
  struct sockaddr_un addr;
  socklen_t n = UnixAddress(&addr, path, len);
  // Never retried here: after EINTR the connection is under way, and a
  // second connect() would say EALREADY or EISCONN.
  return once(::connect(fd, reinterpret_cast<struct sockaddr*>(&addr), n));
}

int px_listen(int fd, int backlog) {
  return retry([&] { return ::listen(fd, backlog); });
}

int px_accept(int fd, uint8_t* path, size_t* len) {
  // As every call that waits (posix.cc): pending handlers run before it blocks.
  if (px_signals_pending()) return -EINTR;
  struct sockaddr_un addr;
  socklen_t addrlen = sizeof(addr);
  ::memset(&addr, 0, sizeof(addr));
#if defined(__linux__)
  int r = once(::accept4(fd, reinterpret_cast<struct sockaddr*>(&addr), &addrlen, SOCK_CLOEXEC));
#else
  int r = once(::accept(fd, reinterpret_cast<struct sockaddr*>(&addr), &addrlen));
  if (r >= 0) r = SetCloexec(r);
#endif
  if (r < 0) return r;
  PathOf(addr, addrlen, path, len);
  return r;
}

int px_getsockname_unix(int fd, uint8_t* path, size_t* len) {
  struct sockaddr_un addr;
  socklen_t addrlen = sizeof(addr);
  ::memset(&addr, 0, sizeof(addr));
  int r = retry([&] { return ::getsockname(fd, reinterpret_cast<struct sockaddr*>(&addr), &addrlen); });
  if (r < 0) return r;
  PathOf(addr, addrlen, path, len);
  return 0;
}

int px_setsockopt_int(int fd, int level, int name, int value) {
  return retry([&] { return ::setsockopt(fd, level, name, &value, sizeof(value)); });
}

int px_getsockopt_int(int fd, int level, int name, int* value) {
  socklen_t n = sizeof(*value);
  *value = 0;
  return retry([&] { return ::getsockopt(fd, level, name, value, &n); });
}

}  // namespace pipefork
