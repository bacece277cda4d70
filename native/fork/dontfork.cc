#include "dontfork.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pipefork_fork {

namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Reads a whole /proc file with read(2) in large chunks: /proc/self/smaps is
// 8 MB of text with a 2 GB heap, and stdio's 4 KiB reads cost more than the
// parsing.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  ~LineReader() { free(buf_); }

  // Returns the next line without its '\n' (NUL-terminated), nullptr at EOF;
  // sets *err on a read error.
  char* Next(int* err) {
    for (;;) {
      // Before the first read buf_ is null, and memchr(NULL, c, 0) is
      // undefined behaviour (UBSan reported it on every fork).
      char* nl = len_ > pos_ ? static_cast<char*>(memchr(buf_ + pos_, '\n', len_ - pos_)) : nullptr;
      if (nl != nullptr) {
        char* line = buf_ + pos_;
        *nl = '\0';
        pos_ = nl + 1 - buf_;
        return line;
      }
      if (eof_) {
        if (pos_ == len_) return nullptr;
        // A last line without '\n' (does not happen in smaps).
        if (len_ == cap_ && !Grow()) return Fail(err, ENOMEM);
        buf_[len_] = '\0';
        char* line = buf_ + pos_;
        pos_ = len_;
        return line;
      }
      if (pos_ > 0) {
        memmove(buf_, buf_ + pos_, len_ - pos_);
        len_ -= pos_;
        pos_ = 0;
      }
      if (len_ == cap_ && !Grow()) return Fail(err, ENOMEM);
      ssize_t n = read(fd_, buf_ + len_, cap_ - len_);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(err, errno);
      }
      if (n == 0) eof_ = true;
      len_ += static_cast<size_t>(n);
    }
  }

 private:
  bool Grow() {
    size_t cap = cap_ == 0 ? 256 * 1024 : cap_ * 2;
    char* p = static_cast<char*>(realloc(buf_, cap + 1));
    if (p == nullptr) return false;
    buf_ = p;
    cap_ = cap;
    return true;
  }
  static char* Fail(int* err, int e) {
    *err = e;
    return nullptr;
  }

  int fd_;
  char* buf_ = nullptr;
  size_t cap_ = 0;
  size_t len_ = 0;
  size_t pos_ = 0;
  bool eof_ = false;
};

bool HasFlag(const char* flags, const char* flag) {
  // VmFlags are two-letter words separated by single spaces.
  for (const char* p = flags; *p != '\0';) {
    while (*p == ' ') ++p;
    if (p[0] == flag[0] && p[1] == flag[1] && (p[2] == ' ' || p[2] == '\0')) return true;
    while (*p != ' ' && *p != '\0') ++p;
  }
  return false;
}

// Appends the DONTFORK mappings listed by an open /proc/self/smaps.
int ScanSmaps(int fd, std::vector<Range>* out) {
  LineReader lines(fd);
  Range cur = {0, 0};
  int err = 0;
  while (char* line = lines.Next(&err)) {
    if (IsHex(line[0])) {
      // "start-end perms offset dev inode path": field names start upper-case.
      char* end = nullptr;
      cur.start = strtoull(line, &end, 16);
      cur.end = *end == '-' ? strtoull(end + 1, nullptr, 16) : 0;
    } else if (strncmp(line, "VmFlags:", 8) == 0) {
      if (cur.end > cur.start && HasFlag(line + 8, "dc")) {
        if (!out->empty() && out->back().end == cur.start) {
          out->back().end = cur.end;
        } else {
          out->push_back(cur);
        }
      }
    }
  }
  return -err;
}

// The whole of a /proc file, read again from its start into *out.
int ReadAll(int fd, std::vector<char>* out) {
  if (lseek(fd, 0, SEEK_SET) < 0) return -errno;
  size_t len = 0;
  out->resize(out->capacity() < 65536 ? 65536 : out->capacity());
  for (;;) {
    if (len == out->size()) out->resize(out->size() * 2);
    ssize_t n = read(fd, out->data() + len, out->size() - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (n == 0) break;
    len += static_cast<size_t>(n);
  }
  out->resize(len);
  return 0;
}

}  // namespace

int ScanDontfork(std::vector<Range>* out) {
  int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  int r = ScanSmaps(fd, out);
  close(fd);
  return r;
}

int DontforkCache::Open() { return EnsureOpen(); }

int DontforkCache::EnsureOpen() {
  if (fd_ >= 0) {
    struct stat st;
    if (fstat(fd_, &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_) return 0;
    // Closed behind our back (os.closerange), maybe reused: no longer ours to close.
    fd_ = -1;
    valid_ = false;
  }
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return -e;
  }
  fd_ = fd;
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  return 0;
}

int DontforkCache::Scan() {
  int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
  bool lent = false;
  if (fd < 0 && (errno == EMFILE || errno == ENFILE) && fd_ >= 0) {
    // Out of fds: smaps gets the kept fd's number for the length of the scan.
    close(fd_);
    fd_ = -1;
    lent = true;
    fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0) {
    int e = errno;
    if (lent) EnsureOpen();
    return -e;
  }
  ranges_.clear();
  int r = ScanSmaps(fd, &ranges_);
  close(fd);
  if (lent) {
    int o = EnsureOpen();
    if (r == 0) r = o;
  }
  return r;
}

int DontforkCache::Find(const std::vector<Range>** out, bool* scanned) {
  int r = EnsureOpen();
  if (r < 0) return r;
  r = ReadAll(fd_, &scratch_);
  if (r < 0) return r;
  *out = &ranges_;
  // Same text, same mappings: addresses, permissions, offsets and files. A
  // mapping's DONTFORK flag changes only through madvise, which V8 calls
  // right after it maps a region, so a new V8 region shows here as a new line.
  if (valid_ && scratch_ == maps_) {
    *scanned = false;
    return 0;
  }
  valid_ = false;
  *scanned = true;
  r = Scan();
  if (r < 0) return r;
  maps_.swap(scratch_);
  valid_ = true;
  return 0;
}

void DontforkCache::AfterFork() {
  // The child's copy of the fd still reads the parent's mappings; and the
  // child's V8 regions were made inheritable for this fork, so the cached
  // ranges are not its DONTFORK ranges either.
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  valid_ = false;
}

size_t AdviseRanges(const std::vector<Range>& ranges, int advice) {
  size_t failed = 0;
  for (const Range& r : ranges) {
    if (madvise(reinterpret_cast<void*>(r.start), r.end - r.start, advice) != 0 && errno != ENOMEM) ++failed;
  }
  return failed;
}

ssize_t WriteAll(int fd, const char* buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(fd, buf + done, len - done);
    if (n >= 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return -errno;
    struct pollfd p = {fd, POLLOUT, 0};
    if (poll(&p, 1, -1) < 0 && errno != EINTR) return -errno;
  }
  return static_cast<ssize_t>(len);
}

}  // namespace pipefork_fork
