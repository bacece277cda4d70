// Unix-domain socket syscalls that know nothing of Node: ints and bytes in,
// a result >= 0 or -errno out (multiprocessing's Pipe, Listener and Client).
//
// Every socket made here is close-on-exec (PEP 446), as CPython's are.
// accept and connect can wait: they make one syscall and return -EINTR for
// lib/posix/blocking.ts to handle (docs/architecture.md, "EINTR"); the rest
// retry it (retry.h).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pipefork {

// sizeof(sockaddr_un::sun_path): 108 on Linux, 104 on macOS.
size_t px_sun_path_size();

int px_socketpair(int domain, int type, int fds[2]);
int px_socket(int domain, int type);
// path is sun_path's bytes: a file path (len < px_sun_path_size(), NUL added
// here) or, on Linux, an abstract name starting with a NUL byte (len <=
// px_sun_path_size()). The caller has checked the length.
int px_bind_unix(int fd, const uint8_t* path, size_t len);
// May return -EINTR: the connection then goes on in the background
// (connect(2)); the caller waits for the socket to be writable and reads
// SO_ERROR, as CPython's sock_connect does.
int px_connect_unix(int fd, const uint8_t* path, size_t len);
int px_listen(int fd, int backlog);
// accept(2), the new fd close-on-exec. The peer's sun_path bytes go to path
// (room for px_sun_path_size() bytes) and their count to *len (0: an
// unnamed peer). May return -EINTR.
int px_accept(int fd, uint8_t* path, size_t* len);
// getsockname(2) of a Unix socket: its sun_path bytes, as px_accept gives them.
int px_getsockname_unix(int fd, uint8_t* path, size_t* len);
int px_setsockopt_int(int fd, int level, int name, int value);
int px_getsockopt_int(int fd, int level, int name, int* value);

}  // namespace pipefork
