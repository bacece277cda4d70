/* C baseline for bench/fork.ts: fork() round trips.
 * usage: fork_exit ITERATIONS TOUCHED_MIB exit|exec; prints mean microseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  int iters = atoi(argv[1]);
  size_t mib = (size_t)atol(argv[2]);
  int exec = strcmp(argv[3], "exec") == 0;
  char* mem = NULL;
  if (mib) {
    mem = malloc(mib << 20);
    memset(mem, 1, mib << 20); /* touched, like the JS heap */
  }
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < iters; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      if (exec) {
        char* args[] = {"/bin/true", NULL};
        execv("/bin/true", args);
      }
      _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.2f\n", ((b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3) / iters);
  free(mem);
  return 0;
}
