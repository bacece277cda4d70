// V8's worker threads in a forked child (workers.h). Two parts: a small
// thread pool, and the redirection of NodePlatform's worker-post methods to
// it, done by giving the platform object a copy of its vtable with those
// slots replaced. Why, the checks made first and the fallback: docs/fork.md
// ("Optimized code in the child").
#include "workers.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <v8-version.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace pipefork_fork {

namespace {

using Clock = std::chrono::steady_clock;

// Node starts its platform workers with 4 MiB stacks (node_platform.cc); an
// optimizing compile recurses deeply.
constexpr size_t kStackSize = size_t{4} << 20;

// Tasks by v8::TaskPriority (kBestEffort 0, kUserVisible 1, kUserBlocking 2);
// the highest runs first, as in Node's own queue since Node 24.
constexpr int kPriorities = 3;

// A child's pool starts no V8 job in the child's first milliseconds. A child
// forked from a loop of forks posts an optimizing compile (of pipefork's own
// fork and exit path, hot in the parent) before it even reaches _exit or
// exec; run at once on the same CPU, that compile delays the child's exit.
// fork + _exit + waitpid, median of 250, Node 20, taskset -c 0, three runs
// each: 4.2-5.7 ms without the pool, 5.2-6.7 ms with it run at once, and
// 4.8-5.5 ms with this grace. Code in a child that lives longer is optimized
// this much later.
constexpr auto kGrace = std::chrono::milliseconds(10);

class Pool {
 public:
  void Post(int priority, std::unique_ptr<v8::Task> task) {
    if (priority < 0 || priority >= kPriorities) priority = 1;
    std::lock_guard<std::mutex> lock(mutex_);
    queues_[priority].push_back(std::move(task));
    ++queued_;
    if (queued_ > static_cast<size_t>(waiting_) && threads_ < max_threads_) StartThreadLocked();
    work_.notify_one();
  }

  void PostDelayed(std::unique_ptr<v8::Task> task, double seconds) {
    auto due = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::lock_guard<std::mutex> lock(mutex_);
    delayed_.emplace_back(due, std::move(task));
    if (threads_ == 0) StartThreadLocked();
    work_.notify_one();
  }

  bool Pause(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    paused_ = true;
    if (!idle_.wait_for(lock, timeout, [this] { return running_ == 0; })) {
      paused_ = false;
      work_.notify_all();
      return false;
    }
    // Held across fork(2): no pool thread can be inside the queues then.
    lock.release();
    return true;
  }

  void Resume() {
    paused_ = false;
    mutex_.unlock();
    work_.notify_all();
  }

  // In a child forked while this pool was paused (its mutex held by the
  // thread that forked, its threads gone, each still counted as a waiter in
  // the copy of the condition variable): fresh primitives, no threads. The
  // queued tasks are this process's V8's, so they stay and get a thread.
  void AfterFork(int max_threads, Clock::time_point not_before) {
    new (&mutex_) std::mutex();
    new (&work_) std::condition_variable();
    new (&idle_) std::condition_variable();
    threads_ = waiting_ = running_ = 0;
    tasks_run_ = 0;
    paused_ = false;
    max_threads_ = max_threads;
    not_before_ = not_before;
    if (queued_ > 0 || !delayed_.empty()) StartThreadLocked();
  }

  // In a new child: at most n threads, which run nothing before not_before.
  void Start(int n, Clock::time_point not_before) {
    std::lock_guard<std::mutex> lock(mutex_);
    max_threads_ = n;
    not_before_ = not_before;
  }

  void Stats(ChildWorkerStats* out) {
    std::lock_guard<std::mutex> lock(mutex_);
    out->threads = threads_;
    out->tasks = tasks_run_;
  }

 private:
  static void* ThreadMain(void* self) {
    static_cast<Pool*>(self)->Loop();
    return nullptr;
  }

  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      Clock::time_point due = Clock::time_point::max();
      std::unique_ptr<v8::Task> task;
      if (Clock::now() < not_before_) {
        due = not_before_;
      } else if (!paused_) {
        task = TakeLocked(&due);
      }
      if (!task) {
        ++waiting_;
        if (due == Clock::time_point::max()) {
          work_.wait(lock);
        } else {
          work_.wait_until(lock, due);
        }
        --waiting_;
        continue;
      }
      ++running_;
      // Counted as it starts: a compile job's result can be in use on the
      // main thread before its task returns (the fork.workers test read 0
      // under ASan when this was counted after Run()).
      ++tasks_run_;
      lock.unlock();
      task->Run();
      task.reset();
      lock.lock();
      --running_;
      if (running_ == 0 && paused_) idle_.notify_all();
    }
  }

  // The next task to run, delayed ones that are due first moved in;
  // otherwise null, and *due is when the next delayed one is.
  std::unique_ptr<v8::Task> TakeLocked(Clock::time_point* due) {
    if (!delayed_.empty()) {
      Clock::time_point now = Clock::now();
      for (size_t i = 0; i < delayed_.size();) {
        if (delayed_[i].first <= now) {
          queues_[1].push_back(std::move(delayed_[i].second));
          ++queued_;
          delayed_[i] = std::move(delayed_.back());
          delayed_.pop_back();
        } else {
          if (delayed_[i].first < *due) *due = delayed_[i].first;
          ++i;
        }
      }
    }
    for (int p = kPriorities - 1; p >= 0; --p) {
      if (queues_[p].empty()) continue;
      std::unique_ptr<v8::Task> task = std::move(queues_[p].front());
      queues_[p].pop_front();
      --queued_;
      return task;
    }
    return nullptr;
  }

  void StartThreadLocked() {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return;
    pthread_attr_setstacksize(&attr, kStackSize);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    // Every signal stays with the main thread: a signal taken by a pool
    // thread would not interrupt the main thread's blocking call, and
    // pipefork runs Python-style handlers where a call returns EINTR.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t thread;
    int r = pthread_create(&thread, &attr, ThreadMain, this);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    pthread_attr_destroy(&attr);
    // On failure (EAGAIN: a thread limit) the tasks wait for a later post,
    // and until then the child is as it was without a pool.
    if (r != 0) return;
    ++threads_;
    pthread_setname_np(thread, "V8ChildWorker");
  }

  std::mutex mutex_;
  // A task was queued, a delayed one may be due, or the pool resumed.
  std::condition_variable work_;
  // The last running task finished while paused.
  std::condition_variable idle_;
  std::deque<std::unique_ptr<v8::Task>> queues_[kPriorities];
  std::vector<std::pair<Clock::time_point, std::unique_ptr<v8::Task>>> delayed_;
  size_t queued_ = 0;
  // No task starts before then (kGrace after the fork).
  Clock::time_point not_before_ = Clock::time_point::min();
  int max_threads_ = 1;
  int threads_ = 0;
  int waiting_ = 0;
  int running_ = 0;
  bool paused_ = false;
  double tasks_run_ = 0;
};

Pool g_pool;

// NodePlatform's vtable pointer and the one that sends worker posts to the
// pool (MakeHookedVtable), made once in the first process that forks.
bool g_prepared = false;
void** g_original_vptr = nullptr;
void** g_hooked_vptr = nullptr;
const char* g_prepare_failed = nullptr;
// Whether this process's platform has the hooked vtable, why not, and
// whether the pool's mutex is held across a fork(2) in progress.
bool g_hooked = false;
bool g_paused = false;
const char* g_reason = "this process was not forked by os.fork()";
// A mismatch to pretend, for tests of the fallback (SimulateChildWorkersMismatch).
ChildWorkersMismatch g_simulate = ChildWorkersMismatch::kNone;

// The replacements, called by V8 exactly as the NodePlatform methods they
// stand for: in the Itanium C++ ABI a member function takes `this` as its
// first argument, and a std::unique_ptr argument is passed by address and
// destroyed by the caller, for member and free functions alike.
#if V8_MAJOR_VERSION >= 12
void PoolPostTaskOnWorkerThread(v8::Platform*, v8::TaskPriority priority, std::unique_ptr<v8::Task> task,
                                const v8::SourceLocation&) {
  g_pool.Post(static_cast<int>(priority), std::move(task));
}
void PoolPostDelayedTaskOnWorkerThread(v8::Platform*, v8::TaskPriority, std::unique_ptr<v8::Task> task, double seconds,
                                       const v8::SourceLocation&) {
  g_pool.PostDelayed(std::move(task), seconds);
}
#else
void PoolCallOnWorkerThread(v8::Platform*, std::unique_ptr<v8::Task> task) {
  g_pool.Post(static_cast<int>(v8::TaskPriority::kUserVisible), std::move(task));
}
void PoolCallBlockingTaskOnWorkerThread(v8::Platform*, std::unique_ptr<v8::Task> task) {
  g_pool.Post(static_cast<int>(v8::TaskPriority::kUserBlocking), std::move(task));
}
void PoolCallLowPriorityTaskOnWorkerThread(v8::Platform*, std::unique_ptr<v8::Task> task) {
  g_pool.Post(static_cast<int>(v8::TaskPriority::kBestEffort), std::move(task));
}
void PoolCallDelayedOnWorkerThread(v8::Platform*, std::unique_ptr<v8::Task> task, double seconds) {
  g_pool.PostDelayed(std::move(task), seconds);
}
#endif

// The vtable index of a virtual member function, from the compiler's own
// pointer-to-member (the Itanium C++ ABI: the byte offset in the vtable plus
// 1; on ARM and AArch64 the offset, with the virtual flag in the low bit of
// the adjustment). -1 if it is not virtual.
template <typename F>
long VtableSlot(F member) {
  struct {
    uintptr_t ptr;
    ptrdiff_t adj;
  } rep;
  static_assert(sizeof(F) == sizeof(rep), "a pointer to member function is two words");
  memcpy(&rep, &member, sizeof rep);
#if defined(__arm__) || defined(__aarch64__)
  if ((rep.adj & 1) == 0) return -1;
  return static_cast<long>(rep.ptr / sizeof(void*));
#else
  if ((rep.ptr & 1) == 0) return -1;
  return static_cast<long>((rep.ptr - 1) / sizeof(void*));
#endif
}

struct Hook {
  long slot;
  void* replacement;
  // The mangled name of the NodePlatform method the slot must hold now (its
  // parameter types included, so the replacement's match), or null for a
  // v8::Platform default that NodePlatform does not override.
  const char* node_method;
};

// The protected *Impl methods are named through a class derived from
// v8::Platform; no object of it is made.
struct PlatformSlots : v8::Platform {
  static std::vector<Hook> Hooks() {
#if V8_MAJOR_VERSION >= 12
    return {
        {VtableSlot(&PlatformSlots::PostTaskOnWorkerThreadImpl), reinterpret_cast<void*>(&PoolPostTaskOnWorkerThread),
         "_ZN4node12NodePlatform26PostTaskOnWorkerThreadImplEN2v812TaskPriorityESt10unique_ptrINS1_4TaskESt14default_"
         "deleteIS4_EERKNS1_14SourceLocationE"},
        {VtableSlot(&PlatformSlots::PostDelayedTaskOnWorkerThreadImpl),
         reinterpret_cast<void*>(&PoolPostDelayedTaskOnWorkerThread),
         "_ZN4node12NodePlatform33PostDelayedTaskOnWorkerThreadImplEN2v812TaskPriorityESt10unique_ptrINS1_4TaskESt14"
         "default_deleteIS4_EEdRKNS1_14SourceLocationE"},
    };
#else
    return {
        {VtableSlot(&v8::Platform::CallOnWorkerThread), reinterpret_cast<void*>(&PoolCallOnWorkerThread),
         "_ZN4node12NodePlatform18CallOnWorkerThreadESt10unique_ptrIN2v84TaskESt14default_deleteIS3_EE"},
        {VtableSlot(&v8::Platform::CallDelayedOnWorkerThread), reinterpret_cast<void*>(&PoolCallDelayedOnWorkerThread),
         "_ZN4node12NodePlatform25CallDelayedOnWorkerThreadESt10unique_ptrIN2v84TaskESt14default_deleteIS3_EEd"},
        {VtableSlot(&v8::Platform::CallBlockingTaskOnWorkerThread),
         reinterpret_cast<void*>(&PoolCallBlockingTaskOnWorkerThread), nullptr},
        {VtableSlot(&v8::Platform::CallLowPriorityTaskOnWorkerThread),
         reinterpret_cast<void*>(&PoolCallLowPriorityTaskOnWorkerThread), nullptr},
    };
#endif
  }
};

// Makes, once per process, the vtable the child's platform gets: a copy of
// NodePlatform's whose worker-post slots call the pool. Only if the platform
// is what this code expects: its vtable is Node's exported
// _ZTVN4node12NodePlatformE (whose size the symbol table gives), and each
// slot to replace holds the NodePlatform method of that exact mangled name.
// Otherwise a reason, and children keep the platform as it is. Done in the
// parent because dladdr1() scans Node's whole symbol table (about 0.3 ms a
// call, measured in the child's setup on Node 20); the child only swaps one
// pointer.
const char* MakeHookedVtable(v8::Platform* platform, void*** original, void*** hooked) {
  void** vptr = *reinterpret_cast<void***>(platform);
  // Each simulated mismatch stands for what another Node line could hold: no
  // such vtable symbol, the methods one slot further on, or a method of the
  // same name with other parameter types.
  const char* vtable_name =
      g_simulate == ChildWorkersMismatch::kSymbol ? "_ZTVN4node12NodePlatformE_simulated" : "_ZTVN4node12NodePlatformE";
  const long slot_shift = g_simulate == ChildWorkersMismatch::kSlot ? 1 : 0;
  void** table = static_cast<void**>(dlsym(RTLD_DEFAULT, vtable_name));
  // A vtable symbol starts with the offset-to-top and the type_info pointer.
  if (table == nullptr || vptr != table + 2) return "V8's platform is not Node's NodePlatform";
  Dl_info info;
  void* extra = nullptr;
  const ElfW(Sym)* sym = nullptr;
  if (dladdr1(table, &info, &extra, RTLD_DL_SYMENT) != 0) sym = static_cast<const ElfW(Sym)*>(extra);
  if (sym == nullptr || info.dli_saddr != table) return "NodePlatform's vtable has no size in the symbol table";
  size_t words = sym->st_size / sizeof(void*);
  std::vector<Hook> hooks = PlatformSlots::Hooks();
  for (Hook& h : hooks) h.slot += h.slot >= 0 ? slot_shift : 0;
  for (const Hook& h : hooks) {
    if (h.slot < 0 || static_cast<size_t>(h.slot) + 2 >= words) return "a worker-post method is not in the vtable";
    if (h.node_method == nullptr) continue;
    // dlsym(), not a string compare: a name Node does not export is a mismatch.
    std::string name = h.node_method;
    if (g_simulate == ChildWorkersMismatch::kName) name += "i";
    void* method = dlsym(RTLD_DEFAULT, name.c_str());
    if (method == nullptr || vptr[h.slot] != method) {
      return "NodePlatform's worker-post methods are not where v8-platform.h puts them";
    }
  }
  // Never freed: a child's platform points at it until the child ends.
  void** copy = new void*[words];
  memcpy(copy, table, words * sizeof(void*));
  for (const Hook& h : hooks) copy[h.slot + 2] = h.replacement;
  *original = vptr;
  *hooked = copy + 2;
  return nullptr;
}

}  // namespace

void ChildWorkersPrepare(v8::Platform* platform) {
  if (g_prepared) return;
  g_prepared = true;
  g_prepare_failed = MakeHookedVtable(platform, &g_original_vptr, &g_hooked_vptr);
}

void ChildWorkersAfterFork(v8::Platform* platform, bool enable, int max_threads) {
  if (max_threads < 1) max_threads = 1;
  const Clock::time_point not_before = Clock::now() + kGrace;
  if (g_paused) {
    g_paused = false;
    g_pool.AfterFork(max_threads, not_before);
  } else {
    g_pool.Start(max_threads, not_before);
  }
  void*** vptr = reinterpret_cast<void***>(platform);
  if (!enable) {
    if (g_hooked) *vptr = g_original_vptr;
    g_hooked = false;
    g_reason = "turned off (PIPEFORK_FORK_WORKERS=0)";
    return;
  }
  if (g_hooked) return;
  if (g_hooked_vptr == nullptr || *vptr != g_original_vptr) {
    g_reason = g_prepare_failed != nullptr ? g_prepare_failed : "V8's platform is not the one prepared";
    return;
  }
  *vptr = g_hooked_vptr;
  g_hooked = true;
  g_reason = "";
}

bool ChildWorkersPause(std::chrono::milliseconds timeout) {
  if (!g_hooked) return true;
  if (!g_pool.Pause(timeout)) return false;
  g_paused = true;
  return true;
}

void ChildWorkersResume() {
  if (!g_paused) return;
  g_paused = false;
  g_pool.Resume();
}

bool SimulateChildWorkersMismatch(ChildWorkersMismatch kind) {
  if (g_hooked) return false;
  g_simulate = kind;
  // Checked again at the next fork; a copy made before is left (never freed:
  // a child may still point at it).
  g_prepared = false;
  g_original_vptr = g_hooked_vptr = nullptr;
  g_prepare_failed = nullptr;
  return true;
}

ChildWorkerStats GetChildWorkerStats() {
  ChildWorkerStats s;
  s.hooked = g_hooked ? 1 : 0;
  s.ready = g_hooked_vptr != nullptr ? 1 : 0;
  s.reason = g_reason;
  if (!g_hooked && g_prepare_failed != nullptr) s.reason = g_prepare_failed;
  if (g_hooked) g_pool.Stats(&s);
  return s;
}

}  // namespace pipefork_fork
