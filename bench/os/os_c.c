/* C baselines for bench/os.ts. Each mode prints the seconds its measured
 * loop took (startup excluded), so the driver compares like with like.
 *   pair N            N x (write 1 byte, read 1 byte) on one pipe
 *   stream TOTAL CHUNK  fork; child writes TOTAL bytes in CHUNK writes, parent reads CHUNK at a time
 *   pingpong N        fork; N round trips of a '<i'-prefixed 16-byte message over two pipes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void read_full(int fd, char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = read(fd, buf + got, n - got);
    if (k <= 0) exit(3);
    got += (size_t)k;
  }
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *mode = argv[1];
  if (!strcmp(mode, "pair")) {
    long n = atol(argv[2]);
    int p[2];
    if (pipe(p)) return 1;
    char c = 'x';
    double t0 = now();
    for (long i = 0; i < n; i++) {
      if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1) return 1;
    }
    printf("%.6f\n", now() - t0);
  } else if (!strcmp(mode, "stream")) {
    long total = atol(argv[2]), chunk = atol(argv[3]);
    char *buf = malloc(chunk);
    memset(buf, 'x', chunk);
    int p[2];
    if (pipe(p)) return 1;
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      for (long sent = 0; sent < total;) {
        ssize_t k = write(p[1], buf, chunk);
        if (k <= 0) _exit(1);
        sent += k;
      }
      _exit(0);
    }
    close(p[1]);
    long got = 0;
    for (;;) {
      ssize_t k = read(p[0], buf, chunk);
      if (k <= 0) break;
      got += k;
    }
    waitpid(pid, NULL, 0);
    if (got != total) return 1;
    printf("%.6f\n", now() - t0);
  } else if (!strcmp(mode, "pingpong")) {
    long n = atol(argv[2]);
    int a[2], b[2];
    if (pipe(a) || pipe(b)) return 1;
    pid_t pid = fork();
    char msg[20];
    if (pid == 0) { /* echo server: read '<i' header + body, send them back */
      close(a[1]);
      close(b[0]);
      for (;;) {
        int len;
        ssize_t k = read(a[0], &len, 4);
        if (k != 4) _exit(0);
        read_full(a[0], msg, len);
        if (write(b[1], &len, 4) != 4 || write(b[1], msg, len) != len) _exit(1);
      }
    }
    close(a[0]);
    close(b[1]);
    int len = 16;
    memset(msg, 'x', 16);
    double t0 = now();
    for (long i = 0; i < n; i++) {
      if (write(a[1], &len, 4) != 4 || write(a[1], msg, 16) != 16) return 1;
      int back;
      read_full(b[0], (char *)&back, 4);
      read_full(b[0], msg, back);
    }
    double t = now() - t0;
    close(a[1]);
    waitpid(pid, NULL, 0);
    printf("%.6f\n", t);
  }
  return 0;
}
