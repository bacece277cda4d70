// fork_exec for subprocess.Popen, after CPython's _posixsubprocess.c.
//
// The child is made with clone(CLONE_VM | CLONE_VFORK) on a stack of its own
// (what glibc's posix_spawn does): no page tables are copied, so starting a
// program costs the same with a 1 GiB JS heap as with none (a fork() copies
// them: ~35 ms per GiB, docs/fork.md "Cost"). The price is that the child
// shares our memory until it execs: it must touch nothing but its own stack
// and the parameters prepared for it, and make only async-signal-safe calls.
// The protocol with the parent is in docs/architecture.md, "Spawn".
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>

#include "posix.h"
#include "process.h"

extern char** environ;

namespace pipefork {

namespace {

// The child runs on a stack that AddressSanitizer never saw (the clone()
// stack below). Before each call that does not return (execve, _exit) ASan's
// instrumentation unpoisons "the current stack", cannot find this one, warns
// that false positives may follow, and then reports a stack-buffer-overflow
// that is not one. The sanitizer build (npm run test:sanitize) therefore
// leaves the functions that run only in the child without ASan
// instrumentation; UBSan still checks them, and normal builds are unchanged.
#if defined(PIPEFORK_SANITIZE)
#define PIPEFORK_CHILD_STACK __attribute__((no_sanitize("address")))
#else
#define PIPEFORK_CHILD_STACK
#endif

struct ChildArgs {
  const SpawnParams* p;
  char* const* envp;
  int errpipe_read, errpipe_write;
  int max_fd;  // bound for the last-resort close loop
};

// Async-signal-safe helpers for the child: raw calls, no allocation, no
// locks. (px_set_inheritable and px_exec_candidates are too: fcntl and
// execve only.)

bool is_kept(int fd, const SpawnParams* p, int errpipe_write) {
  if (fd == errpipe_write) return true;
  for (int i = 0; i < p->nkeep; i++)
    if (p->keep[i] == fd) return true;
  return false;
}

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[1];
};

// Closes every fd >= 3 that is not kept. close_range where the kernel has
// it (5.9+); else /proc/self/fd read with getdents64 (no malloc, unlike
// opendir); else every number up to the fd limit.
PIPEFORK_CHILD_STACK void close_open_fds(const SpawnParams* p, int errpipe_write, int max_fd) {
#if defined(__linux__) && defined(SYS_close_range)
  {
    unsigned start = 3;
    bool ok = true;
    // keep[] is sorted; errpipe_write is merged in on the fly.
    int ki = 0;
    bool ep_done = errpipe_write < 3;
    for (;;) {
      int next = -1;
      if (ki < p->nkeep && (ep_done || p->keep[ki] < errpipe_write)) {
        next = p->keep[ki++];
      } else if (!ep_done) {
        next = errpipe_write;
        ep_done = true;
      }
      if (next < 0) break;
      if (static_cast<unsigned>(next) < start) continue;
      if (static_cast<unsigned>(next) > start &&
          ::syscall(SYS_close_range, start, static_cast<unsigned>(next) - 1, 0) != 0) {
        ok = false;
        break;
      }
      start = static_cast<unsigned>(next) + 1;
    }
    if (ok && ::syscall(SYS_close_range, start, ~0U, 0) == 0) return;
  }
#endif
#if defined(__linux__)
  int dir = static_cast<int>(::syscall(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir >= 0) {
    char buf[1024];
    for (;;) {
      long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
      if (n <= 0) break;
      for (long off = 0; off < n;) {
        auto* d = reinterpret_cast<linux_dirent64*>(buf + off);
        off += d->d_reclen;
        int fd = 0;
        const char* s = d->d_name;
        if (*s < '0' || *s > '9') continue;
        for (; *s >= '0' && *s <= '9'; s++) fd = fd * 10 + (*s - '0');
        if (fd >= 3 && fd != dir && !is_kept(fd, p, errpipe_write)) ::close(fd);
      }
    }
    ::close(dir);
    return;
  }
#endif
  for (int fd = 3; fd < max_fd; fd++)
    if (!is_kept(fd, p, errpipe_write)) ::close(fd);
}

PIPEFORK_CHILD_STACK void write_all(int fd, const char* s, size_t n) {
  while (n > 0) {
    ssize_t r = ::write(fd, s, n);
    if (r < 0) {
      if (errno == EINTR) continue;
      return;
    }
    s += r;
    n -= static_cast<size_t>(r);
  }
}

// The failure record on the error pipe (spawn.h), then _exit(255).
PIPEFORK_CHILD_STACK [[noreturn]] void report(int errpipe_write, int err, SpawnStage stage, int index = 0) {
  ChildFailure f{err, stage, index};
  write_all(errpipe_write, reinterpret_cast<const char*>(&f), sizeof f);
  ::_exit(255);
}

// A step of the child that sets errno on failure (returns < 0).
#define CHILD_CALL(call, stage)                               \
  do {                                                        \
    if ((call) < 0) report(a->errpipe_write, errno, (stage)); \
  } while (0)

// A step that returns -errno (the px_* functions).
#define CHILD_PX(call, stage)                           \
  do {                                                  \
    int r_ = (call);                                    \
    if (r_ < 0) report(a->errpipe_write, -r_, (stage)); \
  } while (0)

PIPEFORK_CHILD_STACK int child_main(void* arg) {
  const ChildArgs* a = static_cast<const ChildArgs*>(arg);
  const SpawnParams* p = a->p;

  // All signals are blocked (the parent did it before clone). A handler of
  // Node's running here would run on our borrowed memory, so every caught
  // signal goes back to SIG_DFL before anything is unblocked, as libuv and
  // CPython do; restore_signals also un-ignores what Python and Node
  // ignore. With CLONE_VM but not CLONE_SIGHAND this changes only the child.
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction sa;
    if (::sigaction(sig, nullptr, &sa) != 0) continue;
    bool caught = (sa.sa_flags & SA_SIGINFO) || (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN);
    bool restore = p->restore_signals && sa.sa_handler == SIG_IGN && (sig == SIGPIPE || sig == SIGXFSZ);
    if (caught || restore) {
      struct sigaction dfl = {};
      dfl.sa_handler = SIG_DFL;
      sigemptyset(&dfl.sa_mask);
      ::sigaction(sig, &dfl, nullptr);
    }
  }

  for (int i = 0; i < p->nkeep; i++)
    if (p->keep[i] != a->errpipe_write) CHILD_PX(px_set_inheritable(p->keep[i], true), kStageChild);

  int p2cread = p->p2cread, c2pwrite = p->c2pwrite, errwrite = p->errwrite;
  if (p->p2cwrite != -1) ::close(p->p2cwrite);
  if (p->c2pread != -1) ::close(p->c2pread);
  if (p->errread != -1) ::close(p->errread);
  ::close(a->errpipe_read);

  // A source fd that is itself 0 or 1 would be overwritten by an earlier
  // dup2 (CPython issue #12607): move it out of the way first.
  if (c2pwrite == 0) {
    CHILD_CALL(c2pwrite = ::fcntl(c2pwrite, F_DUPFD_CLOEXEC, 3), kStageChild);
  }
  while (errwrite == 0 || errwrite == 1) {
    CHILD_CALL(errwrite = ::fcntl(errwrite, F_DUPFD_CLOEXEC, 3), kStageChild);
  }
  // dup2 clears FD_CLOEXEC, except when it is a no-op (CPython #10806).
  if (p2cread == 0)
    CHILD_PX(px_set_inheritable(0, true), kStageChild);
  else if (p2cread != -1)
    CHILD_CALL(::dup2(p2cread, 0), kStageChild);
  if (c2pwrite == 1)
    CHILD_PX(px_set_inheritable(1, true), kStageChild);
  else if (c2pwrite != -1)
    CHILD_CALL(::dup2(c2pwrite, 1), kStageChild);
  if (errwrite == 2)
    CHILD_PX(px_set_inheritable(2, true), kStageChild);
  else if (errwrite != -1)
    CHILD_CALL(::dup2(errwrite, 2), kStageChild);
  // Inherited stdio stays inherited: Node marks 0-2 close-on-exec. Node also
  // makes its stdio pipes O_NONBLOCK, which a program that inherits them
  // would see as EAGAIN on a full pipe; like libuv's own spawn, clear it on
  // the ones the child inherits from us (not on fds the caller passed in).
  const int inherited[3] = {p->p2cread, p->c2pwrite, p->errwrite};
  for (int fd = 0; fd < 3; fd++) {
    px_set_inheritable(fd, true);
    if (inherited[fd] == -1) {
      int fl = ::fcntl(fd, F_GETFL);
      if (fl >= 0 && (fl & O_NONBLOCK)) ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
  }

  if (p->cwd) CHILD_CALL(::chdir(p->cwd), kStageChdir);
  if (p->umask >= 0) ::umask(static_cast<mode_t>(p->umask));
  if (p->call_setsid) CHILD_CALL(::setsid(), kStageChild);
  if (p->pgid_to_set >= 0) CHILD_CALL(::setpgid(0, p->pgid_to_set), kStageChild);
#if defined(__linux__)
  // Raw syscalls, not glibc's setgroups/setregid/setreuid: those broadcast
  // the change to every thread glibc knows of, which in a CLONE_VM child
  // are the parent's threads. The kernel call changes this task only, and
  // the child is a process of one task.
  if (p->ngroups >= 0) CHILD_CALL(::syscall(SYS_setgroups, static_cast<size_t>(p->ngroups), p->groups), kStageChild);
  if (p->gid != -1) CHILD_CALL(::syscall(SYS_setregid, p->gid, p->gid), kStageChild);
  if (p->uid != -1) CHILD_CALL(::syscall(SYS_setreuid, p->uid, p->uid), kStageChild);
#else
  if (p->ngroups >= 0) CHILD_CALL(::setgroups(p->ngroups, reinterpret_cast<const gid_t*>(p->groups)), kStageChild);
  if (p->gid != -1) CHILD_CALL(::setregid(static_cast<gid_t>(p->gid), static_cast<gid_t>(p->gid)), kStageChild);
  if (p->uid != -1) CHILD_CALL(::setreuid(static_cast<uid_t>(p->uid), static_cast<uid_t>(p->uid)), kStageChild);
#endif
  if (p->close_fds) close_open_fds(p, a->errpipe_write, a->max_fd);

  sigset_t empty;
  sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);

  int failed = 0;
  int r = px_exec_candidates(p->exec_list, p->argv, a->envp, &failed);
  report(a->errpipe_write, -r, kStageExec, failed);
}

#undef CHILD_CALL
#undef CHILD_PX

constexpr size_t kChildStack = 128 * 1024;

std::atomic<int> stacks_live{0};

}  // namespace

int px_child_stack_map(ChildStack* s) {
  if (s->base != nullptr) return 0;
#if defined(__linux__)
  void* m = ::mmap(nullptr, kChildStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (m == MAP_FAILED) return -errno;
  s->base = m;
  s->size = kChildStack;
  stacks_live++;
#endif
  return 0;
}

void px_child_stack_unmap(ChildStack* s) {
  if (s->base == nullptr) return;
  ::munmap(s->base, s->size);
  s->base = nullptr;
  s->size = 0;
  stacks_live--;
}

int px_child_stacks_live() { return stacks_live.load(); }

int px_spawn(const SpawnParams& p, ChildStack* stack, ChildFailure* failure) {
  *failure = ChildFailure{0, kStageParent, 0};
  int errpipe[2];
#if defined(__linux__)
  if (::pipe2(errpipe, O_CLOEXEC) < 0) return -errno;
#else
  if (::pipe(errpipe) < 0) return -errno;
  ::fcntl(errpipe[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(errpipe[1], F_SETFD, FD_CLOEXEC);
#endif
  // The error pipe must not sit at 0-2, where the stdio dup2s in the child
  // would overwrite it (CPython moves errpipe_write the same way).
  for (int i = 0; i < 2; i++) {
    if (errpipe[i] < 3) {
      int moved = ::fcntl(errpipe[i], F_DUPFD_CLOEXEC, 3);
      if (moved < 0) {
        int e = errno;
        ::close(errpipe[0]);
        ::close(errpipe[1]);
        return -e;
      }
      ::close(errpipe[i]);
      errpipe[i] = moved;
    }
  }
  long max_fd = ::sysconf(_SC_OPEN_MAX);  // not async-signal-safe: asked here
  if (max_fd < 0 || max_fd > 65536) max_fd = 65536;
  ChildArgs args{&p, p.envp ? p.envp : environ, errpipe[0], errpipe[1], static_cast<int>(max_fd)};

  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  int pid;
  int saved_errno = 0;
#if defined(__linux__)
  int mapped = px_child_stack_map(stack);
  if (mapped < 0) {
    pid = -1;
    saved_errno = -mapped;
  } else {
    // CLONE_VFORK: we resume once the child has exec'd or exited, so the
    // error pipe already holds everything the child will ever write, and
    // the stack is free for the next spawn.
    pid = ::clone(child_main, static_cast<char*>(stack->base) + stack->size, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
    saved_errno = errno;
  }
#else
  (void)stack;
  pid = ::fork();
  saved_errno = errno;
  if (pid == 0) child_main(&args);
#endif
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::close(errpipe[1]);
  if (pid < 0) {
    ::close(errpipe[0]);
    return -saved_errno;
  }

  ChildFailure f{};
  char* buf = reinterpret_cast<char*>(&f);
  size_t got = 0;
  while (got < sizeof f) {
    ssize_t r = ::read(errpipe[0], buf + got, sizeof f - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  ::close(errpipe[0]);
  if (got == 0) return pid;

  // The child failed and exits with 255: reap it so nothing is left behind.
  int status;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // A short record cannot come from report(); say EINVAL rather than guess.
  if (got != sizeof f || f.err <= 0) f = ChildFailure{EINVAL, kStageChild, 0};
  *failure = f;
  return 0;
}

}  // namespace pipefork
