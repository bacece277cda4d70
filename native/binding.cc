// The Node-API binding: converts arguments, calls native/posix.cc, and hands
// results back. Failures come back as a negative errno number, never as a
// thrown error: the TypeScript layer (lib/errors.ts) builds the one
// CPython-shaped error family in one place, and the hot paths (read/write)
// stay free of exceptions.
#include "binding.h"

#include <errno.h>
#include <fcntl.h>
#include <napi.h>
#include <signal.h>
#include <string.h>
#include <sys/uio.h>

#include <climits>
#include <vector>

#include "posix.h"

namespace pipefork {

void RegisterProcess(Napi::Env env, Napi::Object exports);  // binding_process.cc
void RegisterEnv(Napi::Env env, Napi::Object exports);      // binding_env.cc
void RegisterReady(Napi::Env env, Napi::Object exports);    // ready.cc
void RegisterSocket(Napi::Env env, Napi::Object exports);   // binding_socket.cc

namespace {

Napi::Value Pipe2(const Napi::CallbackInfo& info) {
  int fds[2];
  int r = px_pipe2(fds, IntArg(info, 0));
  if (r < 0) return Num(info, r);
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), fds[0]));
  out.Set(1u, Napi::Number::New(info.Env(), fds[1]));
  return out;
}

// One read(2) or write(2) on the bytes that Args names: the count or -errno
// (-EINTR included: lib/posix/blocking.ts retries).
template <bool (*Args)(napi_env, napi_callback_info, int32_t*, Bytes*), bool kWrite>
napi_value ReadOrWrite(napi_env env, napi_callback_info info) {
  int32_t fd;
  Bytes b;
  if (!Args(env, info, &fd, &b)) return Count(env, -EFAULT);
  return Count(env, kWrite ? px_write(fd, b.data, b.len) : px_read(fd, b.data, b.len));
}

// readv/writev(fd, Uint8Array[]): one syscall over every array; the count or
// -errno. The TypeScript layer has made each item a Uint8Array; anything else
// (a call to the addon made directly) is -EFAULT before the syscall. More
// than IOV_MAX arrays go to the kernel as they are, which says EINVAL, as
// CPython's do.
template <bool kWrite>
napi_value Vectored(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t fd;
  uint32_t cnt;
  bool is_array = false;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_is_array(env, argv[1], &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, argv[1], &cnt) != napi_ok || cnt > INT_MAX)
    return Count(env, -EFAULT);
  std::vector<struct iovec> iov(cnt);
  for (uint32_t i = 0; i < cnt; i++) {
    napi_value item;
    Bytes b;
    if (napi_get_element(env, argv[1], i, &item) != napi_ok || !GetBytes(env, item, &b)) return Count(env, -EFAULT);
    iov[i].iov_base = b.data;
    iov[i].iov_len = b.len;
  }
  int n = static_cast<int>(cnt);
  return Count(env, kWrite ? px_writev(fd, iov.data(), n) : px_readv(fd, iov.data(), n));
}

Napi::Value ReadHint(const Napi::CallbackInfo& info) {
  return Num(info, static_cast<double>(px_read_hint(IntArg(info, 0))));
}

Napi::Value Close(const Napi::CallbackInfo& info) { return Num(info, px_close(IntArg(info, 0))); }

Napi::Value CloseRange(const Napi::CallbackInfo& info) {
  px_closerange(IntArg(info, 0), IntArg(info, 1));
  return info.Env().Undefined();
}

Napi::Value Dup(const Napi::CallbackInfo& info) { return Num(info, px_dup(IntArg(info, 0))); }

Napi::Value Dup2(const Napi::CallbackInfo& info) {
  return Num(info, px_dup2(IntArg(info, 0), IntArg(info, 1), info[2].As<Napi::Boolean>().Value()));
}

Napi::Value GetInheritable(const Napi::CallbackInfo& info) { return Num(info, px_get_inheritable(IntArg(info, 0))); }

Napi::Value SetInheritable(const Napi::CallbackInfo& info) {
  return Num(info, px_set_inheritable(IntArg(info, 0), info[1].As<Napi::Boolean>().Value()));
}

Napi::Value GetBlocking(const Napi::CallbackInfo& info) { return Num(info, px_get_blocking(IntArg(info, 0))); }

Napi::Value SetBlocking(const Napi::CallbackInfo& info) {
  return Num(info, px_set_blocking(IntArg(info, 0), info[1].As<Napi::Boolean>().Value()));
}

// open and mkfifo take the path as a string or as its exact bytes (PathArg).
Napi::Value Open(const Napi::CallbackInfo& info) {
  std::string path;
  if (!PathArg(info, 0, &path)) return Num(info, -EINVAL);
  return Num(info, px_open(path.c_str(), IntArg(info, 1), IntArg(info, 2)));
}

Napi::Value Mkfifo(const Napi::CallbackInfo& info) {
  std::string path;
  if (!PathArg(info, 0, &path)) return Num(info, -EINVAL);
  return Num(info, px_mkfifo(path.c_str(), IntArg(info, 1)));
}

Napi::Value Isatty(const Napi::CallbackInfo& info) { return Num(info, px_isatty(IntArg(info, 0))); }

// lseek(fd, pos, whence): pos is a JS number, exact below 2**53 (the TS layer
// refuses anything larger).
Napi::Value Lseek(const Napi::CallbackInfo& info) {
  int64_t pos = info[1].As<Napi::Number>().Int64Value();
  return Num(info, static_cast<double>(px_lseek(IntArg(info, 0), pos, IntArg(info, 2))));
}

// fstat(fd, out: Float64Array(16)): fills mode, ino, dev, nlink, uid, gid,
// size, blksize, blocks, rdev, then seconds and nanoseconds of atime, mtime
// and ctime.
Napi::Value Fstat(const Napi::CallbackInfo& info) {
  StatResult st;
  int r = px_fstat(IntArg(info, 0), &st);
  if (r < 0) return Num(info, r);
  if (!IsArray(info, 1, napi_float64_array, 16)) return Num(info, -EINVAL);
  Napi::Float64Array out = info[1].As<Napi::Float64Array>();
  double* d = out.Data();
  const int64_t fields[16] = {st.mode,    st.ino,      st.dev,     st.nlink,   st.uid,     st.gid,
                              st.size,    st.blksize,  st.blocks,  st.rdev,    st.atime_s, st.atime_ns,
                              st.mtime_s, st.mtime_ns, st.ctime_s, st.ctime_ns};
  for (int i = 0; i < 16; i++) d[i] = static_cast<double>(fields[i]);
  return Num(info, 0);
}

// ftruncate(fd, length): length is a JS number, exact below 2**53 (the TS
// layer refuses anything larger, and negative lengths).
Napi::Value Ftruncate(const Napi::CallbackInfo& info) {
  int64_t length = info[1].As<Napi::Number>().Int64Value();
  return Num(info, px_ftruncate(IntArg(info, 0), length));
}

Napi::Value Strerror(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), ::strerror(IntArg(info, 0)));
}

Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define PF_CONST(name) c.Set(#name, Napi::Number::New(env, name));
  PF_CONST(O_RDONLY)
  PF_CONST(O_WRONLY)
  PF_CONST(O_RDWR)
  PF_CONST(O_ACCMODE)
  PF_CONST(O_CREAT)
  PF_CONST(O_EXCL)
  PF_CONST(O_TRUNC)
  PF_CONST(O_APPEND)
  PF_CONST(O_NONBLOCK)
  PF_CONST(O_NDELAY)
  PF_CONST(O_CLOEXEC)
  PF_CONST(O_NOCTTY)
  PF_CONST(O_SYNC)
  PF_CONST(O_DSYNC)
  PF_CONST(O_DIRECTORY)
  PF_CONST(O_NOFOLLOW)
  PF_CONST(O_ASYNC)
  PF_CONST(SEEK_SET)
  PF_CONST(SEEK_CUR)
  PF_CONST(SEEK_END)
#ifdef O_RSYNC
  PF_CONST(O_RSYNC)
#endif
#ifdef O_NOATIME
  PF_CONST(O_NOATIME)
#endif
#ifdef O_PATH
  PF_CONST(O_PATH)
#endif
#ifdef O_TMPFILE
  PF_CONST(O_TMPFILE)
#endif
#ifdef O_DIRECT
  PF_CONST(O_DIRECT)
#endif
#ifdef O_LARGEFILE
  PF_CONST(O_LARGEFILE)
#endif
#undef PF_CONST
  return c;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Node ignores SIGPIPE at startup; make sure it stays that way even when an
  // embedder did not, so a write to a pipe with no reader is EPIPE
  // (BrokenPipeError) and never kills the process.
  struct sigaction sa;
  if (sigaction(SIGPIPE, nullptr, &sa) == 0 && sa.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);

  exports.Set("pipe2", Napi::Function::New(env, Typed<Pipe2, 0b1>));
  napi_value fn;
  napi_create_function(env, "read", NAPI_AUTO_LENGTH, ReadOrWrite<FdAndBytes, false>, nullptr, &fn);
  exports.Set("read", fn);
  napi_create_function(env, "write", NAPI_AUTO_LENGTH, ReadOrWrite<FdAndBytes, true>, nullptr, &fn);
  exports.Set("write", fn);
  napi_create_function(env, "readAt", NAPI_AUTO_LENGTH, ReadOrWrite<FdAndRange, false>, nullptr, &fn);
  exports.Set("readAt", fn);
  napi_create_function(env, "writeAt", NAPI_AUTO_LENGTH, ReadOrWrite<FdAndRange, true>, nullptr, &fn);
  exports.Set("writeAt", fn);
  napi_create_function(env, "readv", NAPI_AUTO_LENGTH, Vectored<false>, nullptr, &fn);
  exports.Set("readv", fn);
  napi_create_function(env, "writev", NAPI_AUTO_LENGTH, Vectored<true>, nullptr, &fn);
  exports.Set("writev", fn);
  exports.Set("readHint", Napi::Function::New(env, Typed<ReadHint, 0b1>));
  exports.Set("close", Napi::Function::New(env, Typed<Close, 0b1>));
  exports.Set("closerange", Napi::Function::New(env, Typed<CloseRange, 0b11>));
  exports.Set("dup", Napi::Function::New(env, Typed<Dup, 0b1>));
  exports.Set("dup2", Napi::Function::New(env, Typed<Dup2, 0b11, 0b100>));
  exports.Set("getInheritable", Napi::Function::New(env, Typed<GetInheritable, 0b1>));
  exports.Set("setInheritable", Napi::Function::New(env, Typed<SetInheritable, 0b1, 0b10>));
  exports.Set("getBlocking", Napi::Function::New(env, Typed<GetBlocking, 0b1>));
  exports.Set("setBlocking", Napi::Function::New(env, Typed<SetBlocking, 0b1, 0b10>));
  exports.Set("open", Napi::Function::New(env, Typed<Open, 0b110>));
  exports.Set("mkfifo", Napi::Function::New(env, Typed<Mkfifo, 0b10>));
  exports.Set("isatty", Napi::Function::New(env, Typed<Isatty, 0b1>));
  exports.Set("lseek", Napi::Function::New(env, Typed<Lseek, 0b111>));
  exports.Set("fstat", Napi::Function::New(env, Typed<Fstat, 0b1>));
  exports.Set("ftruncate", Napi::Function::New(env, Typed<Ftruncate, 0b11>));
  exports.Set("strerror", Napi::Function::New(env, Typed<Strerror, 0b1>));
  exports.Set("constants", Constants(env));
  RegisterProcess(env, exports);
  RegisterEnv(env, exports);
  RegisterReady(env, exports);
  RegisterSocket(env, exports);
  return exports;
}

}  // namespace
}  // namespace pipefork

static Napi::Object InitPipefork(Napi::Env env, Napi::Object exports) { return pipefork::Init(env, exports); }

NODE_API_MODULE(pipefork, InitPipefork)
