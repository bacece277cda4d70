// fork_exec for subprocess.Popen, after CPython's _posixsubprocess.c: the
// parent prepares everything, the child only makes async-signal-safe calls.
#pragma once

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

// Where a child failed, as the error pipe reports it.
enum SpawnStage { kStageExec = 0, kStageNoExec = 1, kStageChdir = 2 };

struct SpawnError {
  int err = 0;  // errno reported by the child (0: none)
  int stage = kStageExec;
};

// Starts the child. Returns its pid; or -errno when the parent could not
// start it; or 0 with *child_err filled when the child reported a failure
// before or at exec, in which case it has already been reaped.
int px_spawn(const SpawnParams& p, SpawnError* child_err);

}  // namespace pipefork
