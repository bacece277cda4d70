// C baseline of the tutorial's message exchange: a 4-byte little-endian
// length, then the payload, echoed back; one write(2) per frame and a
// user-space read buffer, so one read(2) per frame — the floor for any
// buffered implementation.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  int fd;
  size_t pos, end;
  unsigned char buf[65536];
} reader_t;

static int read_exact(reader_t* r, unsigned char* out, size_t n) {
  while (r->end - r->pos < n) {
    if (r->pos > 0) {
      memmove(r->buf, r->buf + r->pos, r->end - r->pos);
      r->end -= r->pos;
      r->pos = 0;
    }
    ssize_t k = read(r->fd, r->buf + r->end, sizeof r->buf - r->end);
    if (k <= 0) return -1;
    r->end += (size_t)k;
  }
  memcpy(out, r->buf + r->pos, n);
  r->pos += n;
  return 0;
}

static void write_all(int fd, const unsigned char* p, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k <= 0) _exit(3);
    p += k;
    n -= (size_t)k;
  }
}

static reader_t rd;
static unsigned char frame[65536 + 4];

int main(int argc, char** argv) {
  int count = argc > 1 ? atoi(argv[1]) : 100000;
  int size = argc > 2 ? atoi(argv[2]) : 100;
  int a[2], b[2];
  if (pipe(a) || pipe(b)) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    close(a[1]);
    close(b[0]);
    rd.fd = a[0];
    write_all(b[1], (const unsigned char*)"R", 1);
    for (;;) {
      int32_t n;
      if (read_exact(&rd, frame, 4)) _exit(0);
      memcpy(&n, frame, 4);
      if (read_exact(&rd, frame + 4, (size_t)n)) _exit(2);
      write_all(b[1], frame, 4 + (size_t)n);
    }
  }
  close(a[0]);
  close(b[1]);
  rd.fd = b[0];
  unsigned char c;
  if (read_exact(&rd, &c, 1)) return 1;
  unsigned char* out = malloc(4 + (size_t)size);
  memset(out + 4, 'x', (size_t)size);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < count; i++) {
    int32_t n = size;
    memcpy(out, &n, 4);
    write_all(a[1], out, 4 + (size_t)size);
    if (read_exact(&rd, frame, 4)) return 1;
    memcpy(&n, frame, 4);
    if (read_exact(&rd, frame + 4, (size_t)n)) return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  close(a[1]);
  waitpid(pid, NULL, 0);
  printf("TIME %.6f\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
