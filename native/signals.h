// Python-level signal handling, the C half (after CPython's
// Modules/signalmodule.c), knowing nothing of Node: the C handler that only
// records a signal, the dispositions, the wakeup fd, the timers and masks.
// lib/signal.ts holds the semantics; docs/signal.md the model.
//
// The C handler sets tripped[sig] and any_tripped, writes the wakeup fd,
// then calls the action it replaced (libuv's, so Node's listeners still
// fire). It is installed without SA_RESTART: a blocking syscall on the main
// thread fails with EINTR, the addon returns -EINTR, and
// lib/posix/blocking.ts runs the Python-level handlers before it retries.
#pragma once

#include <signal.h>
#include <stdint.h>

namespace pipefork {

// Set by the C handler; cleared by px_sig_take_tripped.
extern volatile sig_atomic_t px_any_tripped;

// Records the calling thread as the one that runs Python-level handlers
// (Node's main thread: the process's first thread). Returns whether it is
// that thread (gettid() == getpid()); does nothing on another thread.
bool px_sig_init_main_thread();
bool px_on_main_thread();

// Whether the main thread has signals to handle and this is the main
// thread: the calls that can wait return -EINTR at once, before their
// syscall, so a signal that arrived while JavaScript ran is handled before
// the program blocks (one load when nothing is pending).
inline bool px_signals_pending() { return px_any_tripped != 0 && px_on_main_thread(); }

// What a signal's disposition is now.
enum SigDisposition : int { kSigDfl = 0, kSigIgn = 1, kSigOurs = 2, kSigOther = 3 };
// kSig* or -errno.
int px_sig_disposition(int sig);
// The current action of sig, raw (for the binding's bookkeeping); 0 or -errno.
int px_sig_get(int sig, struct sigaction* out);
int px_sig_put(int sig, const struct sigaction* act);
// Installs the recording handler for sig, chaining to `chain` (nullptr:
// chain to nothing). As CPython's PyOS_setsig: no SA_RESTART. 0 or -errno.
int px_sig_install(int sig, const struct sigaction* chain);
// Whether our handler is sig's action now, and the action it chains to.
bool px_sig_installed(int sig);
const struct sigaction* px_sig_chain(int sig);
// SIG_DFL (ignore false) or SIG_IGN for sig; 0 or -errno.
int px_sig_set_default(int sig, bool ignore);

// Fills out (up to NSIG entries) with the tripped signals in ascending
// order, clearing them, and returns how many. any_tripped is cleared first,
// as CPython's _PyErr_CheckSignalsTstate does, so a signal arriving during
// the scan is not lost.
int px_sig_take_tripped(int32_t* out, int cap);
// Marks signals tripped again (those whose handlers did not run because an
// earlier one raised).
void px_sig_retrip(const int32_t* sigs, int n);

// The wakeup fd (-1: none); returns the previous one. The C handler writes
// the signal number as one byte, non-blocking.
int px_sig_set_wakeup_fd(int fd, bool warn_on_full_buffer);
// The errno of the last failed wakeup write that should be reported
// (CPython's "Exception ignored when trying to write to the signal wakeup
// fd"), cleared; 0 if none.
int px_sig_take_wakeup_error();

// siginterrupt(3) as CPython's: flag clears SA_RESTART, !flag sets it.
int px_siginterrupt(int sig, bool flag);
// alarm(2): the seconds left of the previous alarm.
unsigned px_alarm(unsigned seconds);
// pause(2): always -EINTR (at once if signals are pending).
int px_pause();
// setitimer(2)/getitimer(2) with times in microseconds: in = {value, interval}
// (setitimer only), out = the previous/current {value, interval}.
int px_setitimer(int which, const int64_t in[2], int64_t out[2]);
int px_getitimer(int which, int64_t out[2]);
// pthread_sigmask(3) with the sets as lists of signal numbers (each one
// valid: see px_sig_valid); the previous mask goes to old (NSIG - 1 entries
// are enough). The count written to old, or -errno.
int px_pthread_sigmask(int how, const int32_t* sigs, int n, int32_t* old, int cap);
// sigpending(2) as a list; the count, or -errno.
int px_sigpending(int32_t* out, int cap);
// raise(3); 0 or -errno.
int px_raise(int sig);
// Whether sigaction() accepts sig (valid_signals: the C library's own
// real-time signals excluded, as sigfillset excludes them).
bool px_sig_valid(int sig);
// How many signals arrived on another thread and were forwarded to the main one.
int px_sig_forwarded();
// After os.fork(), in the child: this thread is the main thread, and
// nothing is tripped (CPython's _PySignal_AfterFork).
void px_sig_after_fork_child();
// Restores SIGINT's default disposition, unblocks it and sends it to this
// process: how an uncaught KeyboardInterrupt ends a Python process.
void px_die_by_signal(int sig);

// clock_gettime(2): seconds and nanoseconds.
int px_clock_gettime(int clock, int64_t* sec, int64_t* nsec);
// clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until the deadline;
// 0, or -EINTR when a signal arrived (the deadline stays).
int px_sleep_until(int64_t sec, int64_t nsec);

}  // namespace pipefork
