// Process syscalls (waitpid, kill, exec, ...): ints in, -errno out.
#include <unistd.h>
