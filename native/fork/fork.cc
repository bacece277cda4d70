// os.fork(): the part of pipefork that needs Node's, V8's and libuv's C++
// API beyond Node-API, so it is built once per Node major. It runs the
// sequence of docs/fork.md ("What happens around the fork"); each step below
// names the hazard it removes (docs/fork.md, "The hazards"). Depends on Node internals (checked by test/fork*.test.ts):
//  - V8 marks its heap MADV_DONTFORK (V8_ENABLE_PRIVATE_MAPPING_FORK_OPTIMIZATION);
//  - NodePlatform::NumberOfWorkerThreads() counts the delayed-task scheduler
//    thread as well as the workers (Node 20);
//  - the private uv_loop_t fields wq, wq_mutex and wq_async (libuv 1.46);
//  - cppgc's process-wide mutex being the one PersistentRegionLock takes;
//  - the layout of NodePlatform and WorkerThreadsTaskRunner (node_platform.h),
//    to find the worker task queue's mutex (checked at run time, see below).
#include <cppgc/internal/persistent-node.h>
#include <errno.h>
#include <node.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>
#include <v8-platform.h>
#include <v8.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dontfork.h"
#include "readpool.h"
#include "workers.h"

namespace pipefork_fork {

namespace {

pthread_mutex_t* WorkerQueueMutex(node::MultiIsolatePlatform* platform);

using v8::Context;
using v8::FunctionCallbackInfo;
using v8::Isolate;
using v8::Local;
using v8::Object;
using v8::Value;

// How long one attempt waits for V8's workers to park. A worker can be
// waiting for this very thread: a background thread whose allocation failed
// asks the main thread for a GC and blocks until it runs, which it cannot
// while the main thread waits here (with --stress-concurrent-allocation,
// 6 of 100 forks waited the old whole 10 s on Node 26). So fork() gives up
// after a slice and returns null, and lib/fork.ts goes back to JavaScript,
// where V8 serves the request, and calls again until its own deadline.
constexpr auto kParkSlice = std::chrono::milliseconds(20);

// Set in a forked child: its V8 workers do not exist, so there is nothing to
// park and a parking task would never run.
bool g_in_child = false;

struct Stats {
  double ranges = 0;
  double bytes = 0;
  double parked = 0;
  // 1 when the worker queue's mutex was found and held across fork().
  double queue_locked = 0;
  // 1 when /proc/self/smaps was read (the mappings had changed since the last fork).
  double scanned = 0;
  double park_ms = 0;
  double scan_ms = 0;
  double dofork_ms = 0;
  double fork_ms = 0;
  double restore_ms = 0;
  // In a child only: uv_loop_fork() and the rest of its native setup.
  double child_setup_ms = 0;
  double unpark_ms = 0;
};
Stats g_stats;

// V8's DONTFORK ranges, kept between forks while the mappings stay the same.
DontforkCache g_dontfork;

double NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Workers parked across fork(): a worker waiting on the platform's queue
// condvar at fork time leaves the child's copy of that condvar believing it
// has a waiter, and V8's next post in the child can block forever in
// pthread_cond_signal (docs/fork.md, hazard 2). A parked worker waits on our condvar
// instead, which the child never touches.
struct ParkState {
  std::mutex mutex;
  std::condition_variable cv;
  int running = 0;
  bool released = false;
};

class ParkTask : public v8::Task {
 public:
  explicit ParkTask(std::shared_ptr<ParkState> state) : state_(std::move(state)) {}
  void Run() override {
    std::unique_lock<std::mutex> lock(state_->mutex);
    if (state_->released) return;
    ++state_->running;
    state_->cv.notify_all();
    state_->cv.wait(lock, [this] { return state_->released; });
  }

 private:
  std::shared_ptr<ParkState> state_;
};

void Release(const std::shared_ptr<ParkState>& state) {
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    state->released = true;
  }
  // Notified outside the lock, so that woken workers do not all block again
  // on the mutex the main thread still holds.
  state->cv.notify_all();
}

void Throw(Isolate* isolate, const char* message) {
  isolate->ThrowException(v8::Exception::Error(v8::String::NewFromUtf8(isolate, message).ToLocalChecked()));
}

void SetNumber(Local<Context> ctx, Local<Object> obj, const char* key, double value) {
  Isolate* isolate = Isolate::GetCurrent();
  obj->Set(ctx, v8::String::NewFromUtf8(isolate, key).ToLocalChecked(), v8::Number::New(isolate, value)).Check();
}

// In the child, before any JS runs again.
int AfterForkInChild(node::Environment* env, uv_loop_t* loop, node::MultiIsolatePlatform* platform,
                     bool child_workers) {
  g_in_child = true;
  g_dontfork.AfterFork();
  // V8's worker threads are gone: without threads for its background jobs
  // the child never optimizes code it runs for the first time (workers.h).
  // As many as the parent has (Node counts its delayed-task scheduler among
  // them).
  ChildWorkersAfterFork(platform, child_workers, platform->NumberOfWorkerThreads() - 1);
  // The child would otherwise share the parent's epoll fd, wakeup eventfd and
  // signal pipe, run its callbacks and take its connections (docs/fork.md, hazard 4).
  int r = uv_loop_fork(loop);
  // A threadpool thread of the parent may have held wq_mutex at fork time,
  // and wq holds the parent's finished requests, whose callbacks must not run
  // here. libuv 1.46 has no API for either: these are private fields.
  uv_mutex_init(&loop->wq_mutex);
  loop->wq.next = &loop->wq;
  loop->wq.prev = &loop->wq;
  loop->wq_async.pending = 0;
  // Node's exit path disposes of the platform and joins its worker threads,
  // which do not exist here: process.exit() and fatal exceptions crashed with
  // SIGSEGV in pthread_join (docs/fork.md, hazard 6). _exit skips all of that.
  node::SetProcessExitHandler(env, [](node::Environment*, int code) { _exit(code); });
  return r;
}

// fork(childWorkers): the child's pid in the parent, 0 in the child, -errno
// on failure, null when V8's workers did not park within kParkSlice (nothing
// was forked; call again from JavaScript). childWorkers false leaves the child without threads for V8's
// background jobs, as before they were given (workers.h).
void Fork(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  const bool child_workers = info.Length() < 1 || info[0]->BooleanValue(isolate);
#ifndef __GLIBC__
  // Only glibc's fork() and condition variables were measured (docs/fork.md).
  Throw(isolate, "os.fork() is supported on Linux with glibc only");
  return;
#endif
  Local<Context> ctx = isolate->GetCurrentContext();
  node::Environment* env = node::GetCurrentEnvironment(ctx);
  uv_loop_t* loop = node::GetCurrentEventLoop(isolate);
  if (env == nullptr || loop != uv_default_loop()) {
    Throw(isolate, "os.fork() can only be called on Node's main thread, not in a worker_thread");
    return;
  }
  node::MultiIsolatePlatform* platform = node::GetMultiIsolatePlatform(env);
  if (platform == nullptr) {
    Throw(isolate, "os.fork() needs Node's own V8 platform (this embedder does not provide one)");
    return;
  }
  Stats st;
  double t0 = NowMs();

  // Node 20 counts the delayed-task scheduler thread among its workers, and a
  // task posted for it never runs, so it gets one fewer (docs/fork.md, hazard 2).
  auto park = std::make_shared<ParkState>();
  int to_park = g_in_child ? 0 : platform->NumberOfWorkerThreads() - 1;
  for (int i = 0; i < to_park; ++i) platform->CallOnWorkerThread(std::make_unique<ParkTask>(park));
  {
    std::unique_lock<std::mutex> lock(park->mutex);
    if (!park->cv.wait_for(lock, kParkSlice, [&] { return park->running == to_park; })) {
      lock.unlock();
      Release(park);
      info.GetReturnValue().SetNull();
      return;
    }
  }
  ChildWorkersPrepare(platform);
  // In a forked child V8's jobs run on the pool's threads instead: the same
  // reasons hold, and a thread inside a job at fork time would leave the
  // grandchild's GC waiting for it forever (workers.h).
  if (!ChildWorkersPause(kParkSlice)) {
    Release(park);
    info.GetReturnValue().SetNull();
    return;
  }
  double t1 = NowMs();
  st.parked = to_park;
  st.park_ms = t1 - t0;

  // V8 allocates its heap and code pages MADV_DONTFORK: a plain fork gives a
  // child with no JS heap (docs/fork.md, hazard 1). If Node ever stops doing that, the
  // scan finds nothing and the madvise steps cost nothing.
  const std::vector<Range>* found = nullptr;
  bool scanned = false;
  int scan = g_dontfork.Find(&found, &scanned);
  if (scan < 0) {
    ChildWorkersResume();
    Release(park);
    info.GetReturnValue().Set(scan);
    return;
  }
  const std::vector<Range>& ranges = *found;
  for (const Range& r : ranges) st.bytes += static_cast<double>(r.end - r.start);
  st.ranges = static_cast<double>(ranges.size());
  st.scanned = scanned ? 1 : 0;
  double t15 = NowMs();
  st.scan_ms = t15 - t1;
  AdviseRanges(ranges, MADV_DOFORK);
  double t2 = NowMs();
  st.dofork_ms = t2 - t15;

  // As libuv's own spawn does: no handler may run in the child before it has
  // its own loop.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  // cppgc's process-wide mutex is taken by every isolate's GC, including a
  // worker_thread's, which is not parked: forked while that worker held it,
  // a child hung in its first full GC (fork stress, gdb: g_process_mutex in
  // MarkerBase::VisitCrossThreadPersistentsIfNeeded). Holding it across
  // fork() hands the child an unlocked copy.
  // Lock order: cppgc's mutex, then the worker queue's, the order a
  // worker_thread's GC takes them in.
  auto* gc_lock = new cppgc::internal::PersistentRegionLock();
  pthread_mutex_t* queue_lock = WorkerQueueMutex(platform);
  if (queue_lock != nullptr) pthread_mutex_lock(queue_lock);
  st.queue_locked = queue_lock != nullptr ? 1 : 0;
  pid_t pid = fork();
  if (queue_lock != nullptr) pthread_mutex_unlock(queue_lock);
  delete gc_lock;
  if (pid == 0) {
    double c0 = NowMs();
    int r = AfterForkInChild(env, loop, platform, child_workers);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    // The child's own view of this fork (its lastForkStats()): from the
    // parent's fork() call to the child running, and its native setup.
    st.fork_ms = c0 - t2;
    st.child_setup_ms = NowMs() - c0;
    g_stats = st;
    if (r != 0) {
      static const char msg[] = "pipefork: uv_loop_fork() failed in the forked child\n";
      WriteAll(2, msg, sizeof msg - 1);
      _exit(70);
    }
    info.GetReturnValue().Set(0);
    return;
  }
  int fork_errno = errno;
  double t3 = NowMs();
  st.fork_ms = t3 - t2;
  // Leaving the heap DOFORK would make every later fork in this process
  // (child_process included) copy its page tables: spawnSync at 2 GB went
  // from 11.7 ms to 147 ms.
  AdviseRanges(ranges, MADV_DONTFORK);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  double t4 = NowMs();
  st.restore_ms = t4 - t3;
  // Waking the parked workers can cost a few ms on a 2-CPU machine (they
  // preempt this thread); unparkMs shows it.
  ChildWorkersResume();
  Release(park);
  st.unpark_ms = NowMs() - t4;
  g_stats = st;
  info.GetReturnValue().Set(pid < 0 ? -fork_errno : pid);
}

// lastForkStats(): what the last fork in this process cost, for the
// benchmark and the tests.
void LastForkStats(const FunctionCallbackInfo<Value>& info) {
  Local<Context> ctx = info.GetIsolate()->GetCurrentContext();
  Local<Object> o = Object::New(info.GetIsolate());
  SetNumber(ctx, o, "ranges", g_stats.ranges);
  SetNumber(ctx, o, "bytes", g_stats.bytes);
  SetNumber(ctx, o, "parked", g_stats.parked);
  SetNumber(ctx, o, "queueLocked", g_stats.queue_locked);
  SetNumber(ctx, o, "parkMs", g_stats.park_ms);
  SetNumber(ctx, o, "scanned", g_stats.scanned);
  SetNumber(ctx, o, "scanMs", g_stats.scan_ms);
  SetNumber(ctx, o, "doforkMs", g_stats.dofork_ms);
  SetNumber(ctx, o, "forkMs", g_stats.fork_ms);
  SetNumber(ctx, o, "restoreMs", g_stats.restore_ms);
  SetNumber(ctx, o, "childSetupMs", g_stats.child_setup_ms);
  SetNumber(ctx, o, "unparkMs", g_stats.unpark_ms);
  info.GetReturnValue().Set(o);
}

// childWorkerStats(): whether V8's worker posts go to the forked child's
// pool here, why not, and the threads started and tasks run (workers.h).
void ChildWorkerStatsBinding(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<Context> ctx = isolate->GetCurrentContext();
  ChildWorkerStats s = GetChildWorkerStats();
  Local<Object> o = Object::New(isolate);
  SetNumber(ctx, o, "hooked", s.hooked);
  SetNumber(ctx, o, "ready", s.ready);
  SetNumber(ctx, o, "threads", s.threads);
  SetNumber(ctx, o, "tasks", s.tasks);
  o->Set(ctx, v8::String::NewFromUtf8Literal(isolate, "reason"),
         v8::String::NewFromUtf8(isolate, s.reason).ToLocalChecked())
      .Check();
  info.GetReturnValue().Set(o);
}

// simulateChildWorkersMismatch(kind): for tests of the fallback, the next
// fork finds NodePlatform other than expected ('symbol', 'slot', 'name'), or
// checks for real again (''); false where the pool is already in use.
void SimulateChildWorkersMismatchBinding(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  v8::String::Utf8Value kind(isolate, info[0]);
  std::string k = *kind != nullptr ? *kind : "";
  ChildWorkersMismatch m = ChildWorkersMismatch::kNone;
  if (k == "symbol") m = ChildWorkersMismatch::kSymbol;
  if (k == "slot") m = ChildWorkersMismatch::kSlot;
  if (k == "name") m = ChildWorkersMismatch::kName;
  info.GetReturnValue().Set(SimulateChildWorkersMismatch(m));
}

// dontforkRanges(): [count, bytes] of the MADV_DONTFORK mappings now, or
// -errno; tells whether this Node still marks its heap DONTFORK.
void DontforkRanges(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  std::vector<Range> ranges;
  int r = ScanDontfork(&ranges);
  if (r < 0) {
    info.GetReturnValue().Set(r);
    return;
  }
  double bytes = 0;
  for (const Range& x : ranges) bytes += static_cast<double>(x.end - x.start);
  Local<v8::Array> a = v8::Array::New(isolate, 2);
  Local<Context> ctx = isolate->GetCurrentContext();
  a->Set(ctx, 0, v8::Number::New(isolate, static_cast<double>(ranges.size()))).Check();
  a->Set(ctx, 1, v8::Number::New(isolate, bytes)).Check();
  info.GetReturnValue().Set(a);
}

// writeAll(fd, bytes): a blocking write even on a non-blocking fd; len or -errno.
void WriteAllBinding(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  if (info.Length() < 2 || !info[0]->IsInt32() || !info[1]->IsArrayBufferView()) {
    isolate->ThrowException(
        v8::Exception::TypeError(v8::String::NewFromUtf8Literal(isolate, "writeAll(fd: int, data: ArrayBufferView)")));
    return;
  }
  int fd = info[0].As<v8::Int32>()->Value();
  Local<v8::ArrayBufferView> view = info[1].As<v8::ArrayBufferView>();
  const char* base = static_cast<const char*>(view->Buffer()->Data());
  ssize_t n = WriteAll(fd, base + view->ByteOffset(), view->ByteLength());
  info.GetReturnValue().Set(static_cast<double>(n));
}

// defaultSignals(signals: Int32Array): SIG_DFL for each. A forked child can
// never run the parent's JS signal listeners (they need the event loop), yet
// libuv's handler for them would swallow the signal: a child busy in
// synchronous code ignored SIGTERM and SIGINT.
void DefaultSignals(const FunctionCallbackInfo<Value>& info) {
  if (info.Length() < 1 || !info[0]->IsInt32Array()) return;
  Local<v8::Int32Array> a = info[0].As<v8::Int32Array>();
  const int32_t* sig =
      reinterpret_cast<const int32_t*>(static_cast<const char*>(a->Buffer()->Data()) + a->ByteOffset());
  for (size_t i = 0; i < a->Length(); ++i) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(sig[i], &sa, nullptr);
  }
}

// getrandom(bytes): fills bytes from the kernel; 0 or -errno. The child's
// Math.random() replacement draws from it, so it needs no crypto module.
void GetrandomBinding(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  if (info.Length() < 1 || !info[0]->IsArrayBufferView()) {
    isolate->ThrowException(
        v8::Exception::TypeError(v8::String::NewFromUtf8Literal(isolate, "getrandom(data: ArrayBufferView)")));
    return;
  }
  Local<v8::ArrayBufferView> view = info[0].As<v8::ArrayBufferView>();
  char* p = static_cast<char*>(view->Buffer()->Data()) + view->ByteOffset();
  size_t left = view->ByteLength();
  while (left > 0) {
    ssize_t n = getrandom(p, left, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      info.GetReturnValue().Set(-errno);
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  info.GetReturnValue().Set(0);
}

// The mutex of the platform's worker task queue (NodePlatform ->
// worker_thread_task_runner_ -> pending_worker_tasks_.lock_, the first
// member of both). Every thread posting V8 background work takes it,
// including a busy worker_thread's GC: forked while that thread held it, a
// child hung in its first scavenge (fork stress, gdb: TaskQueue::Push in
// NodePlatform::CallOnWorkerThread). node_platform.h is not installed, so the
// member is found by layout and accepted only if the runner's threads_
// vector right after the queue holds exactly NumberOfWorkerThreads()
// threads; otherwise nullptr, and fork() goes on without holding it.
pthread_mutex_t* WorkerQueueMutex(node::MultiIsolatePlatform* platform) {
  static bool looked = false;
  static pthread_mutex_t* found = nullptr;
  if (looked) return found;
  looked = true;
  const size_t workers = static_cast<size_t>(platform->NumberOfWorkerThreads());
  const char* base = reinterpret_cast<const char*>(platform);
  // worker_thread_task_runner_ after vptr, Mutex, unordered_map and one or
  // two pointers (page_allocator_ was added in later Node majors).
  for (size_t runner_off : {size_t{112}, size_t{120}}) {
    const char* runner = *reinterpret_cast<const char* const*>(base + runner_off);
    if (runner == nullptr || (reinterpret_cast<uintptr_t>(runner) & 7) != 0) continue;
    // The runner starts with its TaskQueue, whose first member is the Mutex
    // (a pthread mutex): an unlocked or locked normal mutex, or not it.
    const pthread_mutex_t* m = reinterpret_cast<const pthread_mutex_t*>(runner);
    if (m->__data.__lock < 0 || m->__data.__lock > 2 || m->__data.__kind != 0) continue;
    // threads_ after the TaskQueue and the delayed-task scheduler's
    // unique_ptr, as measured with a throwaway probe on each line: Node 20
    // and 22 (std::queue) 232, Node 24 (std::priority_queue) 184, Node 26 192.
    for (size_t threads_off : {size_t{232}, size_t{184}, size_t{192}, size_t{176}}) {
      auto* v = reinterpret_cast<void* const* const*>(runner + threads_off);
      void* const* begin = v[0];
      void* const* end = v[1];
      void* const* cap = v[2];
      if (begin == nullptr || end < begin || cap < end) continue;
      if (static_cast<size_t>(end - begin) != workers) continue;
      bool all = true;
      for (void* const* t = begin; t < end; ++t) all = all && *t != nullptr;
      if (!all) continue;
      found = reinterpret_cast<pthread_mutex_t*>(const_cast<char*>(runner));
      return found;
    }
  }
  return nullptr;
}

}  // namespace

}  // namespace pipefork_fork

// Typed exactly as node::addon_context_register_func, so the registration
// macro's cast is a no-op (NODE_MODULE_INIT's is not, and warns).
static void Init(v8::Local<v8::Object> exports, v8::Local<v8::Value> module, v8::Local<v8::Context> context,
                 void* priv) {
  (void)module;
  (void)priv;
  // Context::GetIsolate() is gone in Node 26's V8.
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  auto set = [&](const char* name, v8::FunctionCallback fn) {
    exports
        ->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(),
              v8::FunctionTemplate::New(isolate, fn)->GetFunction(context).ToLocalChecked())
        .Check();
  };
  // Opened now, while fds are to be had: a fork needs none of its own.
  pipefork_fork::g_dontfork.Open();
  set("fork", pipefork_fork::Fork);
  set("lastForkStats", pipefork_fork::LastForkStats);
  set("childWorkerStats", pipefork_fork::ChildWorkerStatsBinding);
  set("simulateChildWorkersMismatch", pipefork_fork::SimulateChildWorkersMismatchBinding);
  set("dontforkRanges", pipefork_fork::DontforkRanges);
  set("writeAll", pipefork_fork::WriteAllBinding);
  set("getrandom", pipefork_fork::GetrandomBinding);
  set("defaultSignals", pipefork_fork::DefaultSignals);
  exports
      ->Set(context, v8::String::NewFromUtf8Literal(isolate, "moduleVersion"),
            v8::Integer::New(isolate, NODE_MODULE_VERSION))
      .Check();
  // The same binary carries the read-result allocator: it needs V8's C++ API
  // too, and one file per Node line keeps to one dlopen per environment.
  pipefork_readpool::Register(exports, context);
}

NODE_MODULE_CONTEXT_AWARE(NODE_GYP_MODULE_NAME, Init)
