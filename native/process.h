// Process syscalls that know nothing of Node: ints in, -errno out.
#pragma once

namespace pipefork {

[[noreturn]] void px_exit(int code);
int px_getpid();
int px_getppid();

}  // namespace pipefork
