// The process-state syscalls os needs that Node does not offer (or offers
// only through caches of its own): the working directory, the umask,
// unlink, getsid. Ints and bytes in, a result >= 0 or -errno out, no Node.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace pipefork {

// getcwd(3) into buf (n bytes): the path's length, or -errno (-ERANGE when n is too small).
ssize_t px_getcwd(char* buf, size_t n);
int px_chdir(const char* path);
int px_fchdir(int fd);
// umask(2) cannot fail: the previous mask.
int px_umask(int mask);
// unlinkat(dir_fd, path, 0); dir_fd AT_FDCWD for a plain unlink.
int px_unlinkat(int dir_fd, const char* path);
int px_getsid(int pid);

}  // namespace pipefork
