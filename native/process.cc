// Process syscalls (waitpid, kill, exec, ...): ints in, -errno out.
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vector>

#include "retry.h"

extern char** environ;

namespace pipefork {

namespace {

int64_t now_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

void px_exit(int code) { ::_exit(code); }

int px_getpid() { return static_cast<int>(::getpid()); }

int px_getppid() { return static_cast<int>(::getppid()); }

int px_waitpid(int pid, int options, int* status) {
  *status = 0;
  if (options & WNOHANG) return retry([&] { return static_cast<int>(::waitpid(pid, status, options)); });
  return once(static_cast<int>(::waitpid(pid, status, options)));
}

int px_wait_any(const int* pids, int n, int timeout_ms) {
  if (n <= 0) return -ECHILD;
#if defined(__linux__) && defined(SYS_pidfd_open)
  std::vector<struct pollfd> pfds(n);
  int err = 0, ready = -1;
  bool no_pidfd = false;
  int opened = 0;
  for (; opened < n; opened++) {
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, pids[opened], 0));
    if (fd < 0) {
      // ESRCH: no such process any more (reaped behind our back); the
      // caller's waitpid finds out what happened. Anything else (ENOSYS on
      // an old kernel, EMFILE with the fd table full, EPERM from a seccomp
      // profile) is no reason to fail the wait: look the slow way below.
      if (errno == ESRCH)
        ready = opened;
      else
        no_pidfd = true;
      break;
    }
    pfds[opened].fd = fd;
    pfds[opened].events = POLLIN;
    pfds[opened].revents = 0;
  }
  if (ready < 0 && !no_pidfd) {
    int r = once(::poll(pfds.data(), static_cast<nfds_t>(n), timeout_ms));
    if (r < 0)
      err = -r;
    else if (r == 0)
      ready = n;
    else
      for (int i = 0; i < n; i++)
        if (pfds[i].revents) {
          ready = i;
          break;
        }
  }
  for (int i = 0; i < opened; i++) ::close(pfds[i].fd);
  if (!no_pidfd) return err ? -err : ready;
#endif
  // No pidfds (macOS, Linux < 5.3): look without reaping, sleeping between
  // looks with a backoff from 0.5 ms to 20 ms. A signal that cuts a sleep
  // short is -EINTR, as from poll(2) above.
  int64_t deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
  long sleep_us = 500;
  for (;;) {
    for (int i = 0; i < n; i++) {
      siginfo_t info;
      info.si_pid = 0;
      int r = retry([&] { return ::waitid(P_PID, pids[i], &info, WEXITED | WNOHANG | WNOWAIT); });
      if (r < 0 || info.si_pid != 0) return i;
    }
    if (timeout_ms >= 0 && now_ms() >= deadline) return n;
    struct timespec ts = {0, sleep_us * 1000};
    if (nanosleep(&ts, nullptr) < 0 && errno == EINTR) return -EINTR;
    if (sleep_us < 20000) sleep_us *= 2;
  }
}

int px_kill(int pid, int sig) { return ::kill(pid, sig) < 0 ? -errno : 0; }

int px_killpg(int pgid, int sig) { return ::killpg(pgid, sig) < 0 ? -errno : 0; }

int px_setsid() { return ::setsid() < 0 ? -errno : 0; }

int px_getpgid(int pid) {
  pid_t r = ::getpgid(pid);
  return r < 0 ? -errno : static_cast<int>(r);
}

int px_getpgrp() { return static_cast<int>(::getpgrp()); }

int px_setpgid(int pid, int pgid) { return ::setpgid(pid, pgid) < 0 ? -errno : 0; }

int px_pidfd_open(int pid, unsigned flags) {
#if defined(__linux__) && defined(SYS_pidfd_open)
  // A pidfd is always close-on-exec, as PEP 446 wants of every new fd.
  int r = static_cast<int>(::syscall(SYS_pidfd_open, pid, flags));
  return r < 0 ? -errno : r;
#else
  (void)pid;
  (void)flags;
  return -ENOSYS;
#endif
}

int px_set_pipe_size(int fd, int size) {
#if defined(F_SETPIPE_SZ)
  return ::fcntl(fd, F_SETPIPE_SZ, size) < 0 ? -errno : 0;
#else
  (void)fd;
  (void)size;
  return -ENOSYS;
#endif
}

int px_poll(const int* fds, const short* events, short* revents, int n, int timeout_ms) {
  std::vector<struct pollfd> pfds(n);
  for (int i = 0; i < n; i++) pfds[i] = {fds[i], events[i], 0};
  int r = once(::poll(pfds.data(), static_cast<nfds_t>(n), timeout_ms));
  for (int i = 0; i < n; i++) revents[i] = pfds[i].revents;
  return r;
}

int px_exec_candidates(const char* const* candidates, char* const* argv, char* const* envp, int* failed) {
  int saved = 0, saved_index = 0, last = ENOENT, last_index = 0;
  for (int i = 0; candidates[i] != nullptr; i++) {
    ::execve(candidates[i], argv, envp);
    last = errno;
    last_index = i;
    if (last != ENOENT && last != ENOTDIR && saved == 0) {
      saved = last;
      saved_index = i;
    }
  }
  *failed = saved ? saved_index : last_index;
  return -(saved ? saved : last);
}

int px_exec(const char* const* candidates, char* const* argv, char* const* envp, int* failed) {
  if (envp == nullptr) envp = environ;
  // Node marks 0-2 close-on-exec (uv_disable_stdio_inheritance) and ignores
  // SIGPIPE and SIGXFSZ; an exec'd program must get neither (docs/fork.md, hazard 10).
  // Caught signals need no reset: execve itself sets them to SIG_DFL, and
  // leaving Node's handlers in place means a signal arriving now is still
  // handled rather than lost or fatal. Everything is put back if exec fails,
  // so a failed exec leaves this Node process as it was.
  // Node's stdio pipes are O_NONBLOCK too, which the new program would see
  // as EAGAIN; clear it (libuv's spawn does the same for its children).
  int fdflags[3], flflags[3];
  for (int fd = 0; fd < 3; fd++) {
    fdflags[fd] = ::fcntl(fd, F_GETFD);
    if (fdflags[fd] > 0 && (fdflags[fd] & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, fdflags[fd] & ~FD_CLOEXEC);
    flflags[fd] = ::fcntl(fd, F_GETFL);
    if (flflags[fd] >= 0 && (flflags[fd] & O_NONBLOCK)) ::fcntl(fd, F_SETFL, flflags[fd] & ~O_NONBLOCK);
  }
  bool reset[NSIG] = {};
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction sa;
    if (::sigaction(sig, nullptr, &sa) != 0) continue;  // glibc's reserved real-time signals
    if (!(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_IGN) {
      struct sigaction dfl = {};
      dfl.sa_handler = SIG_DFL;
      sigemptyset(&dfl.sa_mask);
      if (::sigaction(sig, &dfl, nullptr) == 0) reset[sig] = true;
    }
  }
  sigset_t empty, oldmask;
  sigemptyset(&empty);
  ::pthread_sigmask(SIG_SETMASK, &empty, &oldmask);

  int r = px_exec_candidates(candidates, argv, envp, failed);

  ::pthread_sigmask(SIG_SETMASK, &oldmask, nullptr);
  for (int sig = 1; sig < NSIG; sig++) {
    if (!reset[sig]) continue;
    struct sigaction ign = {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    ::sigaction(sig, &ign, nullptr);
  }
  for (int fd = 0; fd < 3; fd++) {
    if (fdflags[fd] > 0 && (fdflags[fd] & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, fdflags[fd]);
    if (flflags[fd] >= 0 && (flflags[fd] & O_NONBLOCK)) ::fcntl(fd, F_SETFL, flflags[fd]);
  }

  return r;
}

}  // namespace pipefork
