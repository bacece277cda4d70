// The POSIX half of os.fork(): knows nothing of Node. Ints and buffers in,
// -errno out.
#ifndef PIPEFORK_FORK_DONTFORK_H_
#define PIPEFORK_FORK_DONTFORK_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <vector>

namespace pipefork_fork {

struct Range {
  uintptr_t start;
  uintptr_t end;
};

// Appends every mapping of this process whose VmFlags hold `dc`
// (MADV_DONTFORK) to `out`. Returns 0 or -errno.
int ScanDontfork(std::vector<Range>* out);

// V8's DONTFORK ranges, found again from /proc/self/smaps only when the
// mappings changed. Reading smaps walks every page table (36 ms with a 1 GiB
// heap); /proc/self/maps lists the same mappings without their flags and
// costs a fraction of that, so its text is the cache key. It is read through
// an fd opened in advance, so that a fork needs no new fd (a process out of
// fds could not fork otherwise; CPython's fork needs none). What the key
// cannot see: a mapping replaced between two forks by one with the same
// address, size, permissions and offset (BENCHMARKS.md, fork, issue 13).
class DontforkCache {
 public:
  // Opens /proc/self/maps now; 0 or -errno.
  int Open();
  // Points *out at the current DONTFORK ranges; *scanned tells whether smaps
  // was read. 0 or -errno.
  int Find(const std::vector<Range>** out, bool* scanned);
  // In a forked child: the kept fd reads the parent's /proc/<pid>/maps.
  void AfterFork();

 private:
  int EnsureOpen();
  int Scan();

  int fd_ = -1;
  unsigned long dev_ = 0;
  unsigned long ino_ = 0;
  bool valid_ = false;
  std::vector<char> maps_;
  std::vector<char> scratch_;
  std::vector<Range> ranges_;
};

// madvise(advice) on each range. A range that is gone (ENOMEM) is skipped;
// returns the number of ranges that failed for another reason.
size_t AdviseRanges(const std::vector<Range>& ranges, int advice);

// write(2) until all of buf is written, waiting in poll(2) on EAGAIN so a
// non-blocking fd behaves like a blocking one. Returns len or -errno.
ssize_t WriteAll(int fd, const char* buf, size_t len);

}  // namespace pipefork_fork

#endif  // PIPEFORK_FORK_DONTFORK_H_
