// The C reader of bench/alloc's stream figures: read(2) from stdin into one
// buffer until EOF; prints the seconds of the loop and its page faults as JSON.
// With a second argument, reads go round a ring of that many bytes of
// mapped, pre-touched memory instead: what a reader whose destinations are
// one GC period old (cold in cache, no page faults) costs.
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  size_t chunk = argc > 1 ? (size_t)atol(argv[1]) : 65536;
  size_t ring = argc > 2 ? (size_t)atol(argv[2]) : 0;
  char* buf = malloc(ring > chunk ? ring : chunk);
  for (size_t i = 0; i < ring; i += 4096) buf[i] = 1;
  size_t at = 0;
  struct rusage r0, r1;
  struct timespec t0, t1;
  long long got = read(0, buf, chunk);  // the clock starts at the first byte
  getrusage(RUSAGE_SELF, &r0);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    ssize_t k = read(0, buf + at, chunk);
    if (ring) at = at + chunk + chunk > ring ? 0 : at + chunk;
    if (k <= 0) break;
    got += k;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  getrusage(RUSAGE_SELF, &r1);
  double cpu = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) + (r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
               ((r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) + (r1.ru_stime.tv_usec - r0.ru_stime.tv_usec)) / 1e6;
  printf("{\"s\":%.6f,\"cpu\":%.6f,\"bytes\":%lld,\"minflt\":%ld,\"nvcsw\":%ld,\"nivcsw\":%ld}\n",
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, cpu, got, r1.ru_minflt - r0.ru_minflt,
         r1.ru_nvcsw - r0.ru_nvcsw, r1.ru_nivcsw - r0.ru_nivcsw);
  return 0;
}
