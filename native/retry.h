// EINTR handling shared by the syscall wrappers (PEP 475): the binding and
// the TypeScript layer never see EINTR.
#pragma once

#include <errno.h>

namespace pipefork {

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
