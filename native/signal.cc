// Python-level signal handling, the C half: see signals.h.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "retry.h"
#include "signals.h"

namespace pipefork {

volatile sig_atomic_t px_any_tripped = 0;

namespace {

volatile sig_atomic_t tripped[NSIG];
// What each signal's recording handler chains to, and whether it is ours
// now. chains[] is written before the handler is installed and never
// cleared, so a handler already running keeps a valid action to call.
struct sigaction chains[NSIG];
volatile sig_atomic_t has_chain[NSIG];

volatile sig_atomic_t wakeup_fd = -1;
volatile sig_atomic_t wakeup_warn = 1;
volatile sig_atomic_t wakeup_error = 0;

pthread_t main_thread;
volatile sig_atomic_t main_known = 0;
// How many signals the handler forwarded from another thread (tests and docs/signal.md's measurement).
volatile sig_atomic_t forwarded = 0;

bool in_range(int sig) { return sig > 0 && sig < NSIG; }

// A signal the kernel sends to the thread that faulted: handled where it
// happened, never forwarded.
bool synchronous_fault(int sig, const siginfo_t* info) {
  return (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP) && info != nullptr &&
         info->si_code > 0;
}

void chain(int sig, siginfo_t* info, void* ctx) {
  if (!has_chain[sig]) return;
  const struct sigaction& c = chains[sig];
  if (c.sa_flags & SA_SIGINFO) {
    if (c.sa_sigaction != nullptr) c.sa_sigaction(sig, info, ctx);
  } else if (c.sa_handler != SIG_DFL && c.sa_handler != SIG_IGN && c.sa_handler != nullptr) {
    c.sa_handler(sig);
  }
}

// The C handler, async-signal-safe. Linux gives a process-directed signal
// to any thread that does not block it, and Node has several (V8's
// platform workers, libuv's pool) that block nothing: there the handler
// only forwards the signal to the main thread, where it interrupts the
// blocking call, or stays pending while the main thread blocks it (so
// pthread_sigmask and sigpending behave as in a one-threaded Python
// program). Everything else happens on the main thread, which is also why
// the flags need no more than volatile.
void handler(int sig, siginfo_t* info, void* ctx) {
  int saved_errno = errno;
  if (main_known && !pthread_equal(pthread_self(), main_thread) && !synchronous_fault(sig, info)) {
    pthread_kill(main_thread, sig);
    forwarded = forwarded + 1;
    errno = saved_errno;
    return;
  }
  tripped[sig] = 1;
  px_any_tripped = 1;
  int fd = wakeup_fd;
  if (fd >= 0) {
    unsigned char byte = static_cast<unsigned char>(sig);
    ssize_t r;
    do {
      r = ::write(fd, &byte, 1);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && (wakeup_warn || (errno != EAGAIN && errno != EWOULDBLOCK))) wakeup_error = errno;
  }
  chain(sig, info, ctx);
  errno = saved_errno;
}

}  // namespace

bool px_sig_init_main_thread() {
#if defined(__linux__)
  bool is_main = ::syscall(SYS_gettid) == ::getpid();
#elif defined(__APPLE__)
  bool is_main = pthread_main_np() != 0;
#else
  bool is_main = true;
#endif
  if (is_main) {
    main_thread = pthread_self();
    main_known = 1;
  }
  return is_main;
}

bool px_on_main_thread() { return main_known && pthread_equal(pthread_self(), main_thread); }

int px_sig_get(int sig, struct sigaction* out) {
  if (!in_range(sig)) return -EINVAL;
  return ::sigaction(sig, nullptr, out) < 0 ? -errno : 0;
}

int px_sig_put(int sig, const struct sigaction* act) {
  if (!in_range(sig)) return -EINVAL;
  return ::sigaction(sig, act, nullptr) < 0 ? -errno : 0;
}

int px_sig_disposition(int sig) {
  struct sigaction sa;
  int r = px_sig_get(sig, &sa);
  if (r < 0) return r;
  if (sa.sa_flags & SA_SIGINFO) return sa.sa_sigaction == handler ? kSigOurs : kSigOther;
  if (sa.sa_handler == SIG_DFL) return kSigDfl;
  if (sa.sa_handler == SIG_IGN) return kSigIgn;
  return kSigOther;
}

int px_sig_install(int sig, const struct sigaction* chain_to) {
  if (!in_range(sig)) return -EINVAL;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  // No SA_RESTART (CPython's PyOS_setsig), so a blocking call is
  // interrupted; every signal blocked while the handler runs, as libuv's.
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigfillset(&sa.sa_mask);
  // Never chain to ourselves (our handler is always SA_SIGINFO).
  if (chain_to != nullptr && (chain_to->sa_flags & SA_SIGINFO) && chain_to->sa_sigaction == handler) chain_to = nullptr;
  if (chain_to != nullptr) {
    has_chain[sig] = 0;
    chains[sig] = *chain_to;
    has_chain[sig] = 1;
  } else {
    has_chain[sig] = 0;
  }
  return ::sigaction(sig, &sa, nullptr) < 0 ? -errno : 0;
}

bool px_sig_installed(int sig) { return px_sig_disposition(sig) == kSigOurs; }

const struct sigaction* px_sig_chain(int sig) { return in_range(sig) && has_chain[sig] ? &chains[sig] : nullptr; }

int px_sig_set_default(int sig, bool ignore) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = ignore ? SIG_IGN : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  return px_sig_put(sig, &sa);
}

int px_sig_take_tripped(int32_t* out, int cap) {
  px_any_tripped = 0;
  int n = 0;
  for (int sig = 1; sig < NSIG && n < cap; sig++) {
    if (!tripped[sig]) continue;
    tripped[sig] = 0;
    out[n++] = sig;
  }
  return n;
}

void px_sig_retrip(const int32_t* sigs, int n) {
  for (int i = 0; i < n; i++)
    if (in_range(sigs[i])) tripped[sigs[i]] = 1;
  if (n > 0) px_any_tripped = 1;
}

int px_sig_set_wakeup_fd(int fd, bool warn_on_full_buffer) {
  int old = wakeup_fd;
  wakeup_warn = warn_on_full_buffer ? 1 : 0;
  wakeup_fd = fd;
  return old;
}

int px_sig_take_wakeup_error() {
  int e = wakeup_error;
  wakeup_error = 0;
  return e;
}

int px_siginterrupt(int sig, bool flag) {
  struct sigaction sa;
  int r = px_sig_get(sig, &sa);
  if (r < 0) return r;
  if (flag)
    sa.sa_flags &= ~SA_RESTART;
  else
    sa.sa_flags |= SA_RESTART;
  return px_sig_put(sig, &sa);
}

unsigned px_alarm(unsigned seconds) { return ::alarm(seconds); }

int px_pause() {
  if (px_signals_pending()) return -EINTR;
  ::pause();
  return -errno;
}

namespace {

#if defined(__GLIBC__)
using ItimerWhich = __itimer_which_t;
#else
using ItimerWhich = int;
#endif

void to_timeval(int64_t us, struct timeval* tv) {
  tv->tv_sec = static_cast<time_t>(us / 1000000);
  tv->tv_usec = static_cast<suseconds_t>(us % 1000000);
}

int64_t from_timeval(const struct timeval& tv) { return static_cast<int64_t>(tv.tv_sec) * 1000000 + tv.tv_usec; }

}  // namespace

int px_setitimer(int which, const int64_t in[2], int64_t out[2]) {
  struct itimerval nv, ov;
  to_timeval(in[0], &nv.it_value);
  to_timeval(in[1], &nv.it_interval);
  if (::setitimer(static_cast<ItimerWhich>(which), &nv, &ov) < 0) return -errno;
  out[0] = from_timeval(ov.it_value);
  out[1] = from_timeval(ov.it_interval);
  return 0;
}

int px_getitimer(int which, int64_t out[2]) {
  struct itimerval v;
  if (::getitimer(static_cast<ItimerWhich>(which), &v) < 0) return -errno;
  out[0] = from_timeval(v.it_value);
  out[1] = from_timeval(v.it_interval);
  return 0;
}

namespace {

int set_to_list(const sigset_t& set, int32_t* out, int cap) {
  int n = 0;
  for (int sig = 1; sig < NSIG && n < cap; sig++)
    if (sigismember(&set, sig) == 1) out[n++] = sig;
  return n;
}

}  // namespace

int px_pthread_sigmask(int how, const int32_t* sigs, int n, int32_t* old, int cap) {
  sigset_t set, prev;
  sigemptyset(&set);
  for (int i = 0; i < n; i++) sigaddset(&set, sigs[i]);
  int err = ::pthread_sigmask(how, &set, &prev);
  if (err != 0) return -err;
  return set_to_list(prev, old, cap);
}

int px_sigpending(int32_t* out, int cap) {
  sigset_t set;
  if (::sigpending(&set) < 0) return -errno;
  return set_to_list(set, out, cap);
}

int px_raise(int sig) {
  int r = ::raise(sig);
  // raise() reports its error through errno (glibc returns -1).
  return r != 0 ? -(errno != 0 ? errno : EINVAL) : 0;
}

int px_sig_forwarded() { return forwarded; }

bool px_sig_valid(int sig) {
  sigset_t set;
  sigemptyset(&set);
  return in_range(sig) && sigaddset(&set, sig) == 0;
}

void px_sig_after_fork_child() {
  main_thread = pthread_self();
  main_known = 1;
  for (int sig = 1; sig < NSIG; sig++) tripped[sig] = 0;
  px_any_tripped = 0;
  wakeup_error = 0;
}

void px_die_by_signal(int sig) {
  px_sig_set_default(sig, false);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  ::kill(::getpid(), sig);
}

int px_clock_gettime(int clock, int64_t* sec, int64_t* nsec) {
  struct timespec ts;
  if (::clock_gettime(static_cast<clockid_t>(clock), &ts) < 0) return -errno;
  *sec = ts.tv_sec;
  *nsec = ts.tv_nsec;
  return 0;
}

int px_sleep_until(int64_t sec, int64_t nsec) {
  if (px_signals_pending()) return -EINTR;
  struct timespec deadline;
  deadline.tv_sec = static_cast<time_t>(sec);
  deadline.tv_nsec = static_cast<long>(nsec);
#if defined(__linux__)
  int err = ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr);
  return -err;
#else
  // No clock_nanosleep (macOS): a relative sleep for what is left.
  struct timespec now;
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  int64_t left = (static_cast<int64_t>(deadline.tv_sec) - now.tv_sec) * 1000000000 + (deadline.tv_nsec - now.tv_nsec);
  if (left <= 0) return 0;
  struct timespec rel = {static_cast<time_t>(left / 1000000000), static_cast<long>(left % 1000000000)};
  return ::nanosleep(&rel, nullptr) < 0 ? -errno : 0;
#endif
}

}  // namespace pipefork
