// The C writer of bench/reads.ts's BufferedReader and RSS figures: total
// bytes to stdout in write(2)s of chunk bytes, as bench/io/bulk.c writes.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  long long total = atoll(argv[1]);
  size_t chunk = (size_t)atol(argv[2]);
  char* buf = malloc(chunk);
  memset(buf, 'x', chunk);
  for (long long sent = 0; sent < total;) {
    size_t n = total - sent < (long long)chunk ? (size_t)(total - sent) : chunk;
    ssize_t k = write(1, buf, n);
    if (k < 0) return 1;
    sent += k;
  }
  return 0;
}
