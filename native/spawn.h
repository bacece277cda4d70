// fork_exec for subprocess.Popen, after CPython's _posixsubprocess.c: the
// parent prepares everything, the child only makes async-signal-safe calls.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pipefork {

struct SpawnParams {
  const char* const* exec_list;  // candidate paths, nullptr-terminated (PATH already searched)
  char* const* argv;             // nullptr-terminated
  char* const* envp;             // nullptr: the current environ
  const char* cwd;               // nullptr: stay
  // The stdio plan, as subprocess.py's _get_handles makes it; -1 = none.
  int p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite;
  const int* keep;  // pass_fds, sorted ascending, all >= 3
  int nkeep;
  bool close_fds, restore_signals, call_setsid;
  int pgid_to_set;  // -1: leave the process group alone
  int umask;        // -1: leave the umask alone
  // Credentials (Popen user/group/extra_groups); -1 / ngroups < 0: unchanged.
  long long uid, gid;
  const unsigned* groups;
  int ngroups;
};

// Where a spawn failed. kStageChild..kStageExec are the child's steps, which
// it reports on the error pipe; kStageParent is the parent's own syscalls.
enum SpawnStage : int32_t { kStageParent = 0, kStageChild = 1, kStageChdir = 2, kStageExec = 3 };

// What the child writes on the error pipe when a step fails, then
// _exit(255)s: one write of 12 bytes, under PIPE_BUF, so the parent reads
// all of it or nothing. Both ends are this file; CPython's child writes
// "OSError:<hex errno>:noexec" text because its reader is Python.
struct ChildFailure {
  int32_t err;    // errno
  int32_t stage;  // SpawnStage
  int32_t index;  // kStageExec: the exec_list entry whose error it is
};

// The child's stack. CLONE_VFORK returns only once the child has exec'd or
// exited, so one stack serves every spawn made from one thread; the
// binding keeps one per Node environment (main thread or Worker) and
// frees it with the environment.
struct ChildStack {
  void* base = nullptr;
  size_t size = 0;
};
// Maps a stack if s has none: 0 or -errno.
int px_child_stack_map(ChildStack* s);
void px_child_stack_unmap(ChildStack* s);
// How many child stacks are mapped now, in the whole process (for the test
// that proves a Worker's is freed).
int px_child_stacks_live();

// Starts the child. Returns its pid; or -errno when the parent could not
// start it; or 0 with *failure filled when the child reported a failure
// before or at exec, in which case it has already been reaped.
int px_spawn(const SpawnParams& p, ChildStack* stack, ChildFailure* failure);

}  // namespace pipefork
