// Bulk pipe throughput helpers: `bulk write TOTAL` writes TOTAL bytes to
// stdout in 64 KiB write(2)s; `bulk read` is the C reader baseline (64 KiB
// read(2)s from stdin until EOF, timed).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[65536];

int main(int argc, char** argv) {
  if (argc > 2 && strcmp(argv[1], "write") == 0) {
    long long total = atoll(argv[2]);
    memset(buf, 'y', sizeof buf);
    while (total > 0) {
      ssize_t k = write(1, buf, total < (long long)sizeof buf ? (size_t)total : sizeof buf);
      if (k <= 0) return 1;
      total -= k;
    }
    return 0;
  }
  struct timespec t0, t1;
  long long got = 0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    ssize_t k = read(0, buf, sizeof buf);
    if (k <= 0) break;
    got += k;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("TIME %.6f %lld\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, got);
  return 0;
}
