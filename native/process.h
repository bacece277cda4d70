// Process syscalls that know nothing of Node: ints in, -errno out.
// The waits (waitpid without WNOHANG, wait_any, poll) return -EINTR for
// lib/posix/blocking.ts to handle; the rest retry it (retry.h).
#pragma once

#include <sys/types.h>

namespace pipefork {

[[noreturn]] void px_exit(int code);
int px_getpid();
int px_getppid();

// waitpid(2); the status goes to *status. Returns the pid (0 with WNOHANG
// when nothing changed) or -errno; -EINTR only without WNOHANG.
int px_waitpid(int pid, int options, int* status);

// Blocks until one of pids has exited (or timeout_ms passes; -1 = forever).
// Returns the index of a pid that is ready to be reaped, n on timeout, or
// -errno (-EINTR: call again with the time left). Never reaps: the caller
// waitpid()s the one it was told about, so only pipefork's own children are
// ever touched (docs/fork.md, hazard 11).
int px_wait_any(const int* pids, int n, int timeout_ms);

int px_kill(int pid, int sig);
int px_killpg(int pgid, int sig);
int px_setsid();
int px_getpgid(int pid);
int px_getpgrp();
int px_setpgid(int pid, int pgid);
int px_pidfd_open(int pid, unsigned flags);
// fcntl(F_SETPIPE_SZ) for Popen(pipesize=); -ENOSYS where there is none.
int px_set_pipe_size(int fd, int size);

// poll(2) over fds[i]/events[i]; writes revents[i]. Returns the count of
// ready fds, 0 on timeout, or -errno (-EINTR: call again with the time left).
int px_poll(const int* fds, const short* events, short* revents, int n, int timeout_ms);

// execve(2) of each candidate path in turn, as os._execvpe tries the PATH
// entries; returns only if all fail: -errno of the error to report (the
// first that is not ENOENT/ENOTDIR, else the last) with its candidate's
// index in *failed. Async-signal-safe (execve and errno only): os.exec* and
// the spawn child (spawn.cc) both use it.
int px_exec_candidates(const char* const* candidates, char* const* argv, char* const* envp, int* failed);

// exec in this process, trying each candidate path in turn (os.exec*).
// Prepares the image the way a fresh program expects it (fds 0-2
// inheritable, ignored signals back to SIG_DFL, empty signal mask); if every
// candidate fails, puts all of that back and returns -errno of the error to
// report, with its candidate's index in *failed (os._execvpe's choice:
// the first error that is not ENOENT/ENOTDIR, else the last).
// envp == nullptr means the current environ.
int px_exec(const char* const* candidates, char* const* argv, char* const* envp, int* failed);

}  // namespace pipefork
