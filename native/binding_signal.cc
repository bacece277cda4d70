// The Node-API binding for signals, select and time: native/signal.cc and
// native/select.cc, plus the one piece that needs Node: the "anchor", an
// unref'd uv_signal handle per signal pipefork handles (docs/signal.md,
// "Coexisting with Node").
//
// libuv installs one process-wide handler per signal when the first
// uv_signal handle for it starts, and puts SIG_DFL back when the last one
// stops; Node's process.on('SIGxxx') and child_process (SIGCHLD) are such
// handles. Starting the anchor before installing our handler makes libuv
// install its own (if nobody had), which ours then chains to, and while the
// anchor runs libuv never installs or resets that signal again. Its
// callback, on the event loop, runs the Python-level handlers when the
// program is idle there.
#include <errno.h>
#include <limits.h>
#include <napi.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "binding.h"
#include "nowait.h"
#include "select.h"
#include "signals.h"

#if defined(__linux__)
#include <sys/epoll.h>
#endif
#include <poll.h>
#include <sys/select.h>
#include <sys/time.h>

namespace pipefork {

namespace {

// The main environment's loop and the JS function the anchors call
// (lib/signal.ts's checkSignals). Only the main thread's environment sets
// them: Python-level handlers run on the main thread only.
napi_env main_env = nullptr;
uv_loop_t* main_loop = nullptr;
napi_ref check_ref = nullptr;
napi_async_context check_context = nullptr;

uv_signal_t anchors[NSIG];
bool anchor_made[NSIG];
// Each signal's action before pipefork first changed it (Node's SignalExit
// for SIGINT and SIGTERM, its inspector's for SIGUSR1, SIG_IGN for SIGPIPE),
// for signal.signal(sig, null), which puts back what getsignal() called null.
struct sigaction originals[NSIG];
bool original_saved[NSIG];
// libuv's handler (the same function for every signal), once seen.
void (*uv_handler)(int) = nullptr;

void RunCheckSignals(uv_signal_t*, int) {
  napi_env env = main_env;
  if (env == nullptr || check_ref == nullptr) return;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value fn, recv, result;
  // node::MakeCallback wants an object as the receiver: the global one.
  if (napi_get_reference_value(env, check_ref, &fn) == napi_ok && fn != nullptr &&
      napi_get_global(env, &recv) == napi_ok) {
    // A handler's exception here ends the program as an uncaught error,
    // as a Python handler's exception does when no call is running.
    if (napi_make_callback(env, check_context, recv, fn, 0, nullptr, &result) == napi_pending_exception) {
      napi_value err;
      if (napi_get_and_clear_last_exception(env, &err) == napi_ok) napi_fatal_exception(env, err);
    }
  }
  napi_close_handle_scope(env, scope);
}

int AnchorStart(int sig) {
  if (main_loop == nullptr) return -ENOTSUP;
  if (!anchor_made[sig]) {
    int r = uv_signal_init(main_loop, &anchors[sig]);
    if (r < 0) return r;
    // Never keeps the program alive: only Node's own handles do.
    uv_unref(reinterpret_cast<uv_handle_t*>(&anchors[sig]));
    anchor_made[sig] = true;
  }
  return uv_signal_start(&anchors[sig], RunCheckSignals, sig);
}

void AnchorStop(int sig) {
  if (anchor_made[sig]) uv_signal_stop(&anchors[sig]);
}

bool IsUvHandler(const struct sigaction& sa) {
  return uv_handler != nullptr && !(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == uv_handler;
}

void SaveOriginal(int sig) {
  if (original_saved[sig]) return;
  if (px_sig_get(sig, &originals[sig]) == 0) original_saved[sig] = true;
}

// sigTake(sig): pipefork's handler for sig, chaining to libuv's, with the
// anchor running. 0 or -errno (-EINVAL for SIGKILL, SIGSTOP and the C
// library's own signals, as sigaction says).
int Take(int sig) {
  if (sig <= 0 || sig >= NSIG) return -EINVAL;
  if (px_sig_installed(sig)) return 0;
  SaveOriginal(sig);
  struct sigaction before, now;
  int r = px_sig_get(sig, &before);
  if (r < 0) return r;
  r = AnchorStart(sig);
  if (r < 0) return r;
  r = px_sig_get(sig, &now);
  if (r < 0) return r;
  if (uv_handler == nullptr && !(now.sa_flags & SA_SIGINFO) && now.sa_handler != before.sa_handler)
    uv_handler = now.sa_handler;
  return px_sig_install(sig, &now);
}

// sigRelease(sig, mode): gives sig back. mode 0 is SIG_DFL, 1 SIG_IGN, 2
// the action sig had before pipefork first changed it. Node keeps a
// signal its listeners or child_process still hold for SIG_DFL and 2
// (libuv's handler stays); SIG_IGN ignores it for everyone. Returns the
// disposition now (kSig*), or -errno.
int Release(int sig, int mode) {
  if (sig <= 0 || sig >= NSIG) return -EINVAL;
  SaveOriginal(sig);
  if (px_sig_installed(sig)) {
    const struct sigaction* chained = px_sig_chain(sig);
    int r = chained ? px_sig_put(sig, chained) : px_sig_set_default(sig, false);
    if (r < 0) return r;
  }
  // Whether a handle of Node's holds sig: with the anchor started (a no-op
  // when it runs) and then stopped, libuv puts SIG_DFL back only when no
  // other handle is left.
  int r = AnchorStart(sig);
  if (r < 0) return r;
  AnchorStop(sig);
  int d = px_sig_disposition(sig);
  if (d < 0) return d;
  bool node_holds = d != kSigDfl;
  if (mode == 1) {
    r = px_sig_set_default(sig, true);
    if (r < 0) return r;
  } else if (mode == 2 && !node_holds && !IsUvHandler(originals[sig])) {
    r = px_sig_put(sig, &originals[sig]);
    if (r < 0) return r;
  }
  return px_sig_disposition(sig);
}

void Cleanup(void*) {
  // The environment is going away: close the anchors (a closed handle
  // must not outlive its loop). Their memory is static, never freed.
  for (int sig = 1; sig < NSIG; sig++) {
    if (!anchor_made[sig]) continue;
    uv_close(reinterpret_cast<uv_handle_t*>(&anchors[sig]), nullptr);
    anchor_made[sig] = false;
  }
  if (check_ref != nullptr) napi_delete_reference(main_env, check_ref);
  if (check_context != nullptr) napi_async_destroy(main_env, check_context);
  check_ref = nullptr;
  check_context = nullptr;
  main_env = nullptr;
  main_loop = nullptr;
}

// --- signals --------------------------------------------------------------------

Napi::Value SigDispositionOf(const Napi::CallbackInfo& info) { return Num(info, px_sig_disposition(IntArg(info, 0))); }

Napi::Value SigTake(const Napi::CallbackInfo& info) { return Num(info, Take(IntArg(info, 0))); }

Napi::Value SigRelease(const Napi::CallbackInfo& info) { return Num(info, Release(IntArg(info, 0), IntArg(info, 1))); }

// sigInstallBare(sig): our handler chaining to nothing (a forked child,
// whose event loop never runs, dispatching Node listeners itself).
Napi::Value SigInstallBare(const Napi::CallbackInfo& info) {
  return Num(info, px_sig_install(IntArg(info, 0), nullptr));
}

// sigDefault(sig, ignore): SIG_DFL or SIG_IGN, nothing else touched (a forked child).
Napi::Value SigDefault(const Napi::CallbackInfo& info) {
  return Num(info, px_sig_set_default(IntArg(info, 0), info[1].As<Napi::Boolean>().Value()));
}

// sigTakeTripped(out: Int32Array(NSIG)) -> count
Napi::Value SigTakeTripped(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 0, napi_int32_array)) return Num(info, -EINVAL);
  Napi::Int32Array out = info[0].As<Napi::Int32Array>();
  return Num(info, px_sig_take_tripped(out.Data(), static_cast<int>(out.ElementLength())));
}

// sigRetrip(sigs: Int32Array, n)
Napi::Value SigRetrip(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 0, napi_int32_array)) return Num(info, -EINVAL);
  Napi::Int32Array sigs = info[0].As<Napi::Int32Array>();
  int n = IntArg(info, 1);
  if (n < 0 || static_cast<size_t>(n) > sigs.ElementLength()) return Num(info, -EINVAL);
  px_sig_retrip(sigs.Data(), n);
  return Num(info, 0);
}

// sigPending() -> bool: a signal the main thread has not handled (read on the main thread).
napi_value SigPending(napi_env env, napi_callback_info) {
  napi_value v;
  napi_get_boolean(env, px_signals_pending(), &v);
  return v;
}

// setCheckSignals(fn): the function the anchors call from the event loop (main thread only).
Napi::Value SetCheckSignals(const Napi::CallbackInfo& info) {
  napi_env env = info.Env();
  if (env != main_env || !info[0].IsFunction()) return Num(info, -EINVAL);
  if (check_ref != nullptr) napi_delete_reference(env, check_ref);
  napi_create_reference(env, info[0], 1, &check_ref);
  if (check_context == nullptr) {
    napi_value name;
    napi_create_string_utf8(env, "pipefork.signal", NAPI_AUTO_LENGTH, &name);
    napi_async_init(env, nullptr, name, &check_context);
  }
  return Num(info, 0);
}

Napi::Value SetWakeupFd(const Napi::CallbackInfo& info) {
  return Num(info, px_sig_set_wakeup_fd(IntArg(info, 0), info[1].As<Napi::Boolean>().Value()));
}

Napi::Value TakeWakeupError(const Napi::CallbackInfo& info) { return Num(info, px_sig_take_wakeup_error()); }

Napi::Value Siginterrupt(const Napi::CallbackInfo& info) {
  return Num(info, px_siginterrupt(IntArg(info, 0), info[1].As<Napi::Boolean>().Value()));
}

// alarm(seconds): seconds is a C unsigned (the TS layer converts as CPython's int-then-cast does).
Napi::Value Alarm(const Napi::CallbackInfo& info) {
  return Num(info, px_alarm(info[0].As<Napi::Number>().Uint32Value()));
}

Napi::Value Pause(const Napi::CallbackInfo& info) { return Num(info, px_pause()); }

// setitimer(which, in: Float64Array[2] (microseconds), out: Float64Array[2])
Napi::Value Setitimer(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 1, napi_float64_array, 2) || !IsArray(info, 2, napi_float64_array, 2)) return Num(info, -EINVAL);
  double* in = info[1].As<Napi::Float64Array>().Data();
  double* out = info[2].As<Napi::Float64Array>().Data();
  int64_t nv[2] = {static_cast<int64_t>(in[0]), static_cast<int64_t>(in[1])}, ov[2];
  int r = px_setitimer(IntArg(info, 0), nv, ov);
  if (r == 0) {
    out[0] = static_cast<double>(ov[0]);
    out[1] = static_cast<double>(ov[1]);
  }
  return Num(info, r);
}

Napi::Value Getitimer(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 1, napi_float64_array, 2)) return Num(info, -EINVAL);
  double* out = info[1].As<Napi::Float64Array>().Data();
  int64_t v[2];
  int r = px_getitimer(IntArg(info, 0), v);
  if (r == 0) {
    out[0] = static_cast<double>(v[0]);
    out[1] = static_cast<double>(v[1]);
  }
  return Num(info, r);
}

// pthreadSigmask(how, sigs: Int32Array, n, old: Int32Array) -> count of old or -errno
Napi::Value PthreadSigmask(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 1, napi_int32_array) || !IsArray(info, 3, napi_int32_array)) return Num(info, -EINVAL);
  Napi::Int32Array sigs = info[1].As<Napi::Int32Array>();
  Napi::Int32Array old = info[3].As<Napi::Int32Array>();
  int n = IntArg(info, 2);
  if (n < 0 || static_cast<size_t>(n) > sigs.ElementLength()) return Num(info, -EINVAL);
  return Num(info,
             px_pthread_sigmask(IntArg(info, 0), sigs.Data(), n, old.Data(), static_cast<int>(old.ElementLength())));
}

Napi::Value Sigpending(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 0, napi_int32_array)) return Num(info, -EINVAL);
  Napi::Int32Array out = info[0].As<Napi::Int32Array>();
  return Num(info, px_sigpending(out.Data(), static_cast<int>(out.ElementLength())));
}

Napi::Value Raise(const Napi::CallbackInfo& info) { return Num(info, px_raise(IntArg(info, 0))); }

// strsignal(sig) -> the C library's text, or null where CPython gives None
// (no text, or glibc's "Unknown signal N").
Napi::Value Strsignal(const Napi::CallbackInfo& info) {
  const char* s = ::strsignal(IntArg(info, 0));
  if (s == nullptr || strstr(s, "Unknown signal") != nullptr) return info.Env().Null();
  return Napi::String::New(info.Env(), s);
}

Napi::Value SigValid(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), px_sig_valid(IntArg(info, 0)));
}

Napi::Value SigForwarded(const Napi::CallbackInfo& info) { return Num(info, px_sig_forwarded()); }

Napi::Value SigAfterForkChild(const Napi::CallbackInfo& info) {
  px_sig_after_fork_child();
  return info.Env().Undefined();
}

Napi::Value DieBySignal(const Napi::CallbackInfo& info) {
  px_die_by_signal(IntArg(info, 0));
  return info.Env().Undefined();
}

// --- time -------------------------------------------------------------------------

// clockGettime(clock, out: Float64Array[2]) -> 0 | -errno; out = seconds, nanoseconds.
Napi::Value ClockGettime(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 1, napi_float64_array, 2)) return Num(info, -EINVAL);
  double* out = info[1].As<Napi::Float64Array>().Data();
  int64_t sec, nsec;
  int r = px_clock_gettime(IntArg(info, 0), &sec, &nsec);
  if (r == 0) {
    out[0] = static_cast<double>(sec);
    out[1] = static_cast<double>(nsec);
  }
  return Num(info, r);
}

// clockNs(clock) -> BigInt nanoseconds (time.time_ns() and its twins).
Napi::Value ClockNs(const Napi::CallbackInfo& info) {
  int64_t sec, nsec;
  int r = px_clock_gettime(IntArg(info, 0), &sec, &nsec);
  if (r < 0) return Num(info, r);
  return Napi::BigInt::New(info.Env(), sec * 1000000000 + nsec);
}

// sleepUntil(sec, nsec): on the monotonic clock.
Napi::Value SleepUntil(const Napi::CallbackInfo& info) {
  return Num(info, px_sleep_until(info[0].As<Napi::Number>().Int64Value(), info[1].As<Napi::Number>().Int64Value()));
}

// --- select and epoll -----------------------------------------------------------

// select(fds: Int32Array, nr, nw, n, timeoutUs, ready: Uint8Array) -> count | -errno.
// The plain C API: select.select on ready fds is a hot path.
napi_value Select(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  napi_value result;
  napi_typedarray_type t1, t2;
  size_t len1, len2;
  void *fds, *ready;
  int32_t nr, nw, n;
  double timeout;
  if (argc < 6 || napi_get_typedarray_info(env, argv[0], &t1, &len1, &fds, nullptr, nullptr) != napi_ok ||
      t1 != napi_int32_array || napi_get_value_int32(env, argv[1], &nr) != napi_ok ||
      napi_get_value_int32(env, argv[2], &nw) != napi_ok || napi_get_value_int32(env, argv[3], &n) != napi_ok ||
      napi_get_value_double(env, argv[4], &timeout) != napi_ok ||
      napi_get_typedarray_info(env, argv[5], &t2, &len2, &ready, nullptr, nullptr) != napi_ok ||
      t2 != napi_uint8_array || nr < 0 || nw < 0 || n < nr + nw || static_cast<size_t>(n) > len1 ||
      static_cast<size_t>(n) > len2) {
    napi_create_int32(env, -EINVAL, &result);
    return result;
  }
  const int32_t* f = static_cast<const int32_t*>(fds);
  for (int i = 0; i < n; i++) {
    if (f[i] < 0 || f[i] >= FD_SETSIZE) {
      napi_create_int32(env, -EINVAL, &result);
      return result;
    }
  }
  int r = px_select(f, nr, nw, n, static_cast<int64_t>(timeout), static_cast<uint8_t*>(ready));
  napi_create_int32(env, r, &result);
  return result;
}

Napi::Value EpollCreate(const Napi::CallbackInfo& info) { return Num(info, px_epoll_create()); }

// epollCtl(epfd, op, fd, events): events is an unsigned 32-bit mask.
Napi::Value EpollCtl(const Napi::CallbackInfo& info) {
  return Num(info,
             px_epoll_ctl(IntArg(info, 0), IntArg(info, 1), IntArg(info, 2), info[3].As<Napi::Number>().Uint32Value()));
}

// epollWait(epfd, out: Int32Array(2 * maxevents), maxevents, timeoutMs) -> count | -errno
napi_value EpollWait(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  napi_value result;
  napi_typedarray_type t;
  size_t len;
  void* out;
  int32_t epfd, maxevents, timeout;
  if (argc < 4 || napi_get_value_int32(env, argv[0], &epfd) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], &t, &len, &out, nullptr, nullptr) != napi_ok || t != napi_int32_array ||
      napi_get_value_int32(env, argv[2], &maxevents) != napi_ok ||
      napi_get_value_int32(env, argv[3], &timeout) != napi_ok || maxevents <= 0 ||
      static_cast<size_t>(maxevents) * 2 > len) {
    napi_create_int32(env, -EINVAL, &result);
    return result;
  }
  napi_create_int32(env, px_epoll_wait(epfd, static_cast<int32_t*>(out), maxevents, timeout), &result);
  return result;
}

Napi::Object SignalConstants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define PF_CONST(name) c.Set(#name, Napi::Number::New(env, name));
  PF_CONST(SIG_BLOCK)
  PF_CONST(SIG_UNBLOCK)
  PF_CONST(SIG_SETMASK)
  PF_CONST(ITIMER_REAL)
  PF_CONST(ITIMER_VIRTUAL)
  PF_CONST(ITIMER_PROF)
  PF_CONST(CLOCK_REALTIME)
  PF_CONST(CLOCK_MONOTONIC)
  PF_CONST(FD_SETSIZE)
  PF_CONST(PIPE_BUF)
  PF_CONST(POLLIN)
  PF_CONST(POLLPRI)
  PF_CONST(POLLOUT)
  PF_CONST(POLLERR)
  PF_CONST(POLLHUP)
  PF_CONST(POLLNVAL)
#ifdef POLLRDNORM
  PF_CONST(POLLRDNORM)
  PF_CONST(POLLRDBAND)
  PF_CONST(POLLWRNORM)
  PF_CONST(POLLWRBAND)
#endif
#ifdef POLLMSG
  PF_CONST(POLLMSG)
#endif
#ifdef POLLRDHUP
  PF_CONST(POLLRDHUP)
#endif
#if defined(__linux__)
  PF_CONST(EPOLLIN)
  PF_CONST(EPOLLOUT)
  PF_CONST(EPOLLPRI)
  PF_CONST(EPOLLERR)
  PF_CONST(EPOLLHUP)
  PF_CONST(EPOLLRDHUP)
  PF_CONST(EPOLLRDNORM)
  PF_CONST(EPOLLRDBAND)
  PF_CONST(EPOLLWRNORM)
  PF_CONST(EPOLLWRBAND)
  PF_CONST(EPOLLMSG)
  PF_CONST(EPOLLONESHOT)
  PF_CONST(EPOLLEXCLUSIVE)
  PF_CONST(EPOLL_CLOEXEC)
  PF_CONST(EPOLL_CTL_ADD)
  PF_CONST(EPOLL_CTL_MOD)
  PF_CONST(EPOLL_CTL_DEL)
  // EPOLLET is 1u << 31: as an unsigned number, as Python has it.
  c.Set("EPOLLET", Napi::Number::New(env, static_cast<double>(static_cast<uint32_t>(EPOLLET))));
#endif
#undef PF_CONST
  return c;
}

}  // namespace

void RegisterSignal(Napi::Env env, Napi::Object exports) {
  if (px_sig_init_main_thread() && main_env == nullptr) {
    main_env = env;
    napi_get_uv_event_loop(env, &main_loop);
    napi_add_env_cleanup_hook(env, Cleanup, nullptr);
  }
  exports.Set("sigDisposition", Napi::Function::New(env, Typed<SigDispositionOf, 0b1>));
  exports.Set("sigTake", Napi::Function::New(env, Typed<SigTake, 0b1>));
  exports.Set("sigRelease", Napi::Function::New(env, Typed<SigRelease, 0b11>));
  exports.Set("sigInstallBare", Napi::Function::New(env, Typed<SigInstallBare, 0b1>));
  exports.Set("sigDefault", Napi::Function::New(env, Typed<SigDefault, 0b1, 0b10>));
  exports.Set("sigTakeTripped", Napi::Function::New(env, SigTakeTripped));
  exports.Set("sigRetrip", Napi::Function::New(env, Typed<SigRetrip, 0b10>));
  napi_value fn;
  napi_create_function(env, "sigPending", NAPI_AUTO_LENGTH, SigPending, nullptr, &fn);
  exports.Set("sigPending", fn);
  exports.Set("setCheckSignals", Napi::Function::New(env, SetCheckSignals));
  exports.Set("setWakeupFd", Napi::Function::New(env, Typed<SetWakeupFd, 0b1, 0b10>));
  exports.Set("takeWakeupError", Napi::Function::New(env, TakeWakeupError));
  exports.Set("siginterrupt", Napi::Function::New(env, Typed<Siginterrupt, 0b1, 0b10>));
  exports.Set("alarm", Napi::Function::New(env, Typed<Alarm, 0b1>));
  exports.Set("pause", Napi::Function::New(env, Pause));
  exports.Set("setitimer", Napi::Function::New(env, Typed<Setitimer, 0b1>));
  exports.Set("getitimer", Napi::Function::New(env, Typed<Getitimer, 0b1>));
  exports.Set("pthreadSigmask", Napi::Function::New(env, Typed<PthreadSigmask, 0b101>));
  exports.Set("sigpending", Napi::Function::New(env, Sigpending));
  exports.Set("raise", Napi::Function::New(env, Typed<Raise, 0b1>));
  exports.Set("strsignal", Napi::Function::New(env, Typed<Strsignal, 0b1>));
  exports.Set("sigValid", Napi::Function::New(env, Typed<SigValid, 0b1>));
  exports.Set("sigForwarded", Napi::Function::New(env, SigForwarded));
  exports.Set("sigAfterForkChild", Napi::Function::New(env, SigAfterForkChild));
  exports.Set("dieBySignal", Napi::Function::New(env, Typed<DieBySignal, 0b1>));
  exports.Set("clockGettime", Napi::Function::New(env, Typed<ClockGettime, 0b1>));
  exports.Set("clockNs", Napi::Function::New(env, Typed<ClockNs, 0b1>));
  exports.Set("sleepUntil", Napi::Function::New(env, Typed<SleepUntil, 0b11>));
  napi_create_function(env, "select", NAPI_AUTO_LENGTH, Select, nullptr, &fn);
  exports.Set("select", fn);
  exports.Set("epollCreate", Napi::Function::New(env, EpollCreate));
  exports.Set("epollCtl", Napi::Function::New(env, Typed<EpollCtl, 0b1111>));
  napi_create_function(env, "epollWait", NAPI_AUTO_LENGTH, EpollWait, nullptr, &fn);
  exports.Set("epollWait", fn);
  exports.Set("signalConstants", SignalConstants(env));
}

}  // namespace pipefork
