// C baseline for bench/process.ts: posix_spawn of /bin/true + waitpid.
// usage: spawn_true ITERATIONS [TOUCHED_MIB]; prints the mean microseconds
// per round trip. TOUCHED_MIB of memory is allocated and touched first, so
// the parent's size matches the "1 GiB heap" case.
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 1000;
  long mib = argc > 2 ? atol(argv[2]) : 0;
  char *mem = NULL;
  if (mib > 0) {
    mem = malloc((size_t)mib << 20);
    if (!mem) return 1;
    memset(mem, 1, (size_t)mib << 20);
  }
  char *args[] = {"/bin/true", NULL};
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < iters; i++) {
    pid_t pid;
    if (posix_spawn(&pid, "/bin/true", NULL, NULL, args, environ) != 0) return 2;
    int st;
    if (waitpid(pid, &st, 0) != pid) return 3;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / iters;
  printf("%.2f\n", us);
  if (mem) mem[0] = 2;
  return 0;
}
