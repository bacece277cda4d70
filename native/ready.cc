// The awaitable twins' native half (docs/async.md, "How it works"): one
// private epoll instance per Node environment (the main thread, each
// Worker), watched by that environment's libuv loop through ONE uv_poll_t,
// and the calls that never wait (native/nowait.cc).
//
// Why a private epoll and not a uv_poll_t per fd: the fd a program awaits
// may already be watched by libuv (a net.Socket on it), and two uv_poll
// handles on one fd in one loop is a libuv assertion; independent epoll
// instances never interfere. Each fd is armed EPOLLONESHOT for one wait
// (lib/posix/ready.ts re-arms it), so nothing reports twice.
//
// The poll handle is referenced only while lib/posix/ready.ts has waits
// pending (readyRef), so a program whose awaits are done exits on its own.
// Nothing runs on libuv's thread pool, and no thread of ours waits.
#include <errno.h>
#include <napi.h>
#include <unistd.h>
#include <uv.h>

#include <atomic>

#include "binding.h"
#include "nowait.h"

namespace pipefork {

namespace {

// How many reports one turn of the loop hands to JS (the rest come on the next turn).
constexpr int kMaxReports = 64;

// Live epoll instances in the whole process (tests: a Worker's goes with it).
std::atomic<int> live_instances{0};

struct Ready {
  napi_env env = nullptr;
  int epfd = -1;
  // On the heap: a handle must outlive its uv_close(), and one that failed
  // to start is closed before any Ready would be.
  uv_poll_t* poll = nullptr;
  bool referenced = false;
  napi_ref callback = nullptr;
  // The Int32Array reports are written to: [fd, generation, events] each.
  napi_ref reports_ref = nullptr;
  int32_t* reports = nullptr;
  size_t reports_len = 0;
  napi_async_context context = nullptr;
  napi_async_cleanup_hook_handle hook = nullptr;
};

void ReleaseJs(Ready* r) {
  if (r->callback) napi_delete_reference(r->env, r->callback);
  if (r->reports_ref) napi_delete_reference(r->env, r->reports_ref);
  if (r->context) napi_async_destroy(r->env, r->context);
  r->callback = r->reports_ref = nullptr;
  r->context = nullptr;
  r->reports = nullptr;
}

// libuv says the epoll fd is readable: collect what is ready (without
// waiting) and hand it to JS in one call, which resolves the waits. The
// microtasks those resolutions queue run when the call returns
// (napi_make_callback), as after any I/O callback.
void OnPoll(uv_poll_t* handle, int status, int) {
  Ready* r = static_cast<Ready*>(handle->data);
  if (status < 0 || r->reports == nullptr) return;
  uint64_t data[kMaxReports];
  uint32_t events[kMaxReports];
  int max = static_cast<int>(r->reports_len / 3);
  if (max > kMaxReports) max = kMaxReports;
  int n = px_epoll_poll(r->epfd, data, events, max);
  if (n <= 0) return;
  for (int i = 0; i < n; i++) {
    r->reports[3 * i] = static_cast<int32_t>(data[i] & 0xffffffffu);
    r->reports[3 * i + 1] = static_cast<int32_t>(data[i] >> 32);
    r->reports[3 * i + 2] = static_cast<int32_t>(events[i]);
  }
  napi_env env = r->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value fn, recv, argv[1], result;
  napi_get_reference_value(env, r->callback, &fn);
  napi_get_global(env, &recv);  // napi_make_callback wants an object
  napi_create_int32(env, n, &argv[0]);
  napi_make_callback(env, r->context, recv, fn, 1, argv, &result);
  bool thrown = false;
  if (napi_is_exception_pending(env, &thrown) == napi_ok && thrown) {
    // lib/posix/ready.ts's onReports throws nothing; should anything escape,
    // it is the process's uncaught exception, as from any other callback.
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
}

void FreeHandle(uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); }

void OnClosed(uv_handle_t* handle) {
  Ready* r = static_cast<Ready*>(handle->data);
  FreeHandle(handle);
  ::close(r->epfd);
  live_instances--;
  napi_remove_async_cleanup_hook(r->hook);
  delete r;
}

// The environment is going away (process exit, a Worker ending): close the
// poll handle, then the epoll fd, then free the state.
void Cleanup(napi_async_cleanup_hook_handle hook, void* arg) {
  Ready* r = static_cast<Ready*>(arg);
  r->hook = hook;
  ReleaseJs(r);
  if (r->epfd < 0) {
    napi_remove_async_cleanup_hook(hook);
    delete r;
    return;
  }
  uv_close(reinterpret_cast<uv_handle_t*>(r->poll), OnClosed);
}

Ready* State(napi_callback_info info, napi_env env, size_t* argc, napi_value* argv) {
  void* data = nullptr;
  napi_get_cb_info(env, info, argc, argv, nullptr, &data);
  return static_cast<Ready*>(data);
}

napi_value Int(napi_env env, int64_t v) {
  napi_value out;
  napi_create_double(env, static_cast<double>(v), &out);
  return out;
}

// readyOpen(callback(count), reports: Int32Array) -> the epoll fd, or -errno.
// Opens this environment's epoll instance and its poll handle (unreferenced)
// on first use; later calls return the same fd.
napi_value ReadyOpen(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  Ready* r = State(info, env, &argc, argv);
  if (r->epfd >= 0) return Int(env, r->epfd);
  napi_valuetype type;
  napi_typedarray_type kind;
  size_t length;
  void* data;
  napi_value ab;
  size_t offset;
  if (argc < 2 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_function ||
      napi_get_typedarray_info(env, argv[1], &kind, &length, &data, &ab, &offset) != napi_ok ||
      kind != napi_int32_array || length < 3)
    return Int(env, -EINVAL);
  uv_loop_t* loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return Int(env, -EINVAL);
  int epfd = px_epoll_create();
  if (epfd < 0) return Int(env, epfd);
  uv_poll_t* poll = new uv_poll_t;
  int err = uv_poll_init(loop, poll, epfd);
  if (err != 0) {
    delete poll;
    ::close(epfd);
    return Int(env, err);  // libuv's errors are -errno on Unix
  }
  poll->data = r;
  err = uv_poll_start(poll, UV_READABLE, OnPoll);
  if (err != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(poll), FreeHandle);
    ::close(epfd);
    return Int(env, err);
  }
  uv_unref(reinterpret_cast<uv_handle_t*>(poll));
  r->poll = poll;
  napi_value name, resource;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "pipefork.ready", NAPI_AUTO_LENGTH, &name);
  napi_create_reference(env, argv[0], 1, &r->callback);
  napi_create_reference(env, argv[1], 1, &r->reports_ref);
  napi_async_init(env, resource, name, &r->context);
  r->reports = static_cast<int32_t*>(data);
  r->reports_len = length;
  r->epfd = epfd;
  live_instances++;
  return Int(env, epfd);
}

// readyArm(fd, generation, events) -> 0 or -errno: fd reports once (events,
// or an error or hang-up) as [fd, generation, events].
napi_value ReadyArm(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  Ready* r = State(info, env, &argc, argv);
  int32_t fd, gen, events;
  if (argc < 3 || r->epfd < 0 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_int32(env, argv[1], &gen) != napi_ok || napi_get_value_int32(env, argv[2], &events) != napi_ok)
    return Int(env, -EINVAL);
  uint64_t data = (static_cast<uint64_t>(static_cast<uint32_t>(gen)) << 32) | static_cast<uint32_t>(fd);
  return Int(env, px_epoll_arm(r->epfd, fd, static_cast<uint32_t>(events), data));
}

// readyRemove(fd) -> 0 or -errno.
napi_value ReadyRemove(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Ready* r = State(info, env, &argc, argv);
  int32_t fd;
  if (argc < 1 || r->epfd < 0 || napi_get_value_int32(env, argv[0], &fd) != napi_ok) return Int(env, -EINVAL);
  return Int(env, px_epoll_remove(r->epfd, fd));
}

// readyRef(referenced): whether the poll handle keeps the loop alive.
napi_value ReadyRef(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Ready* r = State(info, env, &argc, argv);
  bool on = false;
  if (argc >= 1 && r->epfd >= 0 && napi_get_value_bool(env, argv[0], &on) == napi_ok && on != r->referenced) {
    r->referenced = on;
    if (on)
      uv_ref(reinterpret_cast<uv_handle_t*>(r->poll));
    else
      uv_unref(reinterpret_cast<uv_handle_t*>(r->poll));
  }
  return nullptr;
}

// readyState() -> [epoll fd or -1, 1 if the handle is referenced, live instances in the process].
napi_value ReadyState(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  Ready* r = State(info, env, &argc, nullptr);
  napi_value out;
  napi_create_array_with_length(env, 3, &out);
  napi_set_element(env, out, 0, Int(env, r->epfd));
  napi_set_element(env, out, 1, Int(env, r->referenced ? 1 : 0));
  napi_set_element(env, out, 2, Int(env, live_instances.load()));
  return out;
}

// readNowait/writeNowait(fd, u8), recvDontwait/sendDontwait(fd, u8): the count or -errno.
template <bool (*Args)(napi_env, napi_callback_info, int32_t*, Bytes*), ssize_t (*Call)(int, void*, size_t)>
napi_value NoWait(napi_env env, napi_callback_info info) {
  int32_t fd;
  Bytes b;
  if (!Args(env, info, &fd, &b)) return Count(env, -EFAULT);
  return Count(env, Call(fd, b.data, b.len));
}

ssize_t WriteNowait(int fd, void* buf, size_t n) { return px_write_nowait(fd, buf, n); }
ssize_t SendDontwait(int fd, void* buf, size_t n) { return px_send_dontwait(fd, buf, n); }

Napi::Value ReopenNonblock(const Napi::CallbackInfo& info) {
  return Num(info, px_reopen_nonblock(IntArg(info, 0), IntArg(info, 1)));
}

Napi::Value Fionread(const Napi::CallbackInfo& info) { return Num(info, px_fionread(IntArg(info, 0))); }

}  // namespace

void RegisterReady(Napi::Env env, Napi::Object exports) {
  Ready* r = new Ready();
  r->env = env;
  napi_add_async_cleanup_hook(env, Cleanup, r, nullptr);
  struct Fn {
    const char* name;
    napi_callback cb;
  };
  const Fn fns[] = {
      {"readyOpen", ReadyOpen},
      {"readyArm", ReadyArm},
      {"readyRemove", ReadyRemove},
      {"readyRef", ReadyRef},
      {"readyState", ReadyState},
      {"readNowait", NoWait<FdAndBytes, px_read_nowait>},
      {"writeNowait", NoWait<FdAndBytes, WriteNowait>},
      {"recvDontwait", NoWait<FdAndBytes, px_recv_dontwait>},
      {"sendDontwait", NoWait<FdAndBytes, SendDontwait>},
  };
  for (const Fn& f : fns) {
    napi_value fn;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.cb, r, &fn);
    exports.Set(f.name, fn);
  }
  exports.Set("reopenNonblock", Napi::Function::New(env, Typed<ReopenNonblock, 0b11>));
  exports.Set("fionread", Napi::Function::New(env, Typed<Fionread, 0b1>));
}

}  // namespace pipefork
