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

// madvise(advice) on each range. A range that is gone (ENOMEM) is skipped;
// returns the number of ranges that failed for another reason.
size_t AdviseRanges(const std::vector<Range>& ranges, int advice);

// write(2) until all of buf is written, waiting in poll(2) on EAGAIN so a
// non-blocking fd behaves like a blocking one. Returns len or -errno.
ssize_t WriteAll(int fd, const char* buf, size_t len);

}  // namespace pipefork_fork

#endif  // PIPEFORK_FORK_DONTFORK_H_
