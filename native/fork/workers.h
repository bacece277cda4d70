// V8's worker threads in a forked child. fork(2) copies only the calling
// thread: the child's V8 keeps posting background work (optimizing
// compiles, concurrent marking and sweeping) to the platform's worker queue,
// whose threads are gone, so that work never runs and code first run in the
// child is never optimized (16.6x CPython's time pickling 1 000 dicts, Node
// 20). In the child, the platform's worker-post methods are pointed at a pool
// of threads of ours (docs/fork.md, "Optimized code in the child").
#ifndef PIPEFORK_FORK_WORKERS_H_
#define PIPEFORK_FORK_WORKERS_H_

#include <v8-platform.h>

#include <chrono>

namespace pipefork_fork {

struct ChildWorkerStats {
  // 1 when this process's V8 worker posts go to the pool.
  int hooked = 0;
  // 1 when this process's forked children can have the pool: NodePlatform
  // was found as expected (known after the first fork).
  int ready = 0;
  // Why not, when posts do not go to the pool (a static string).
  const char* reason = "";
  // Threads the pool has started and tasks it has started running, in this process.
  int threads = 0;
  double tasks = 0;
};

// In the process about to fork, before fork(2): finds NodePlatform's vtable
// and makes the copy children get (once per process; about 1 ms on Node 20,
// so the child need not).
void ChildWorkersPrepare(v8::Platform* platform);

// In a forked child, before any JavaScript runs again: with enable, V8's
// worker posts go to a pool of at most max_threads threads (started when
// work is posted, never before); without, they go where the parent's did.
// The parent's own posts, still in the platform's queue, are not taken:
// some may belong to a worker_thread's isolate, whose thread is gone.
void ChildWorkersAfterFork(v8::Platform* platform, bool enable, int max_threads);

// Before fork(2) in a process that has the pool (a forked child forking
// again): waits until every pool thread is between tasks, then holds the
// pool's mutex, so that no thread is inside a task (a background LocalHeap
// the grandchild's GC would wait for forever) or inside the pool's own
// state. false after timeout (the pool runs on).
bool ChildWorkersPause(std::chrono::milliseconds timeout);
// After fork(2) in the process that forked: lets the pool run again.
void ChildWorkersResume();

// For tests of the fallback: the next fork's check of NodePlatform fails as
// it would on a Node line whose platform differs (kSymbol: no vtable symbol
// of that name; kSlot: the worker-post methods one slot off; kName: the
// methods' mangled names differ), so children keep the platform as it is.
// kNone checks for real again. false in a process whose posts already go to
// the pool.
enum class ChildWorkersMismatch { kNone, kSymbol, kSlot, kName };
bool SimulateChildWorkersMismatch(ChildWorkersMismatch kind);

ChildWorkerStats GetChildWorkerStats();

}  // namespace pipefork_fork

#endif  // PIPEFORK_FORK_WORKERS_H_
