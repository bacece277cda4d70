// EINTR handling for the syscall wrappers (PEP 475).
//
// once(): the calls that can wait (read, write, poll, waitpid, ...) report
// EINTR as -EINTR, so that the one retry point in TypeScript
// (lib/posix/blocking.ts) can run signal handlers and recompute a timeout
// before it calls again: a retry loop here would never give them the chance
// (docs/architecture.md, "EINTR").
//
// retry(): the calls that do not wait (fstat, dup, pipe2, ...) retry EINTR
// here, so nobody above sees it.
#pragma once

#include <errno.h>

namespace pipefork {

// A syscall's result as it is, or -errno: one call, EINTR included.
template <typename T>
T once(T r) {
  return r >= 0 ? r : -static_cast<T>(errno);
}

// Runs a syscall-like call, retrying EINTR; returns its result, or -errno.
template <typename F>
auto retry(F f) -> decltype(f()) {
  for (;;) {
    auto r = f();
    if (r >= 0) return r;
    if (errno != EINTR) return -static_cast<decltype(r)>(errno);
  }
}

}  // namespace pipefork
