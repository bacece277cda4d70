// Process syscalls (waitpid, kill, exec, ...): ints in, -errno out.
#include "process.h"

#include <unistd.h>

namespace pipefork {

void px_exit(int code) { ::_exit(code); }

int px_getpid() { return static_cast<int>(::getpid()); }

int px_getppid() { return static_cast<int>(::getppid()); }

}  // namespace pipefork
