// The Node-API binding for Unix-domain sockets (native/socket.cc): results
// or -errno, never a thrown error; lib/posix/socket.ts raises the
// CPython-shaped OSError.
#include <errno.h>
#include <napi.h>
#include <sys/socket.h>

#include <vector>

#include "binding.h"
#include "socket.h"

namespace pipefork {

namespace {

// info[i] as sun_path bytes (a Uint8Array no longer than sun_path), or false.
bool PathArg(const Napi::CallbackInfo& info, size_t i, const uint8_t** data, size_t* len) {
  if (!IsArray(info, i, napi_uint8_array)) return false;
  Napi::Uint8Array a = info[i].As<Napi::Uint8Array>();
  if (a.ByteLength() > px_sun_path_size()) return false;
  *data = a.Data();
  *len = a.ByteLength();
  return true;
}

Napi::Value Pair(const Napi::CallbackInfo& info, int a, int b) {
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), a));
  out.Set(1u, Napi::Number::New(info.Env(), b));
  return out;
}

// socketpair(domain, type) -> [fd, fd] | -errno
Napi::Value Socketpair(const Napi::CallbackInfo& info) {
  int fds[2];
  int r = px_socketpair(IntArg(info, 0), IntArg(info, 1), fds);
  return r < 0 ? Num(info, r) : Pair(info, fds[0], fds[1]);
}

Napi::Value Socket(const Napi::CallbackInfo& info) { return Num(info, px_socket(IntArg(info, 0), IntArg(info, 1))); }

// bind/connect(fd, path: Uint8Array) -> 0 | -errno
template <int (*F)(int, const uint8_t*, size_t)>
Napi::Value WithPath(const Napi::CallbackInfo& info) {
  const uint8_t* path;
  size_t len;
  if (!PathArg(info, 1, &path, &len)) return Num(info, -EINVAL);
  return Num(info, F(IntArg(info, 0), path, len));
}

Napi::Value Listen(const Napi::CallbackInfo& info) { return Num(info, px_listen(IntArg(info, 0), IntArg(info, 1))); }

// The sun_path bytes a call filled, as a Buffer.
Napi::Value PathBytes(const Napi::CallbackInfo& info, const std::vector<uint8_t>& path, size_t len) {
  return Napi::Buffer<uint8_t>::Copy(info.Env(), path.data(), len);
}

// accept(fd) -> [fd, peer sun_path bytes] | -errno
Napi::Value Accept(const Napi::CallbackInfo& info) {
  std::vector<uint8_t> path(px_sun_path_size());
  size_t len = 0;
  int r = px_accept(IntArg(info, 0), path.data(), &len);
  if (r < 0) return Num(info, r);
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), r));
  out.Set(1u, PathBytes(info, path, len));
  return out;
}

// getsockname(fd) -> sun_path bytes | -errno
Napi::Value Getsockname(const Napi::CallbackInfo& info) {
  std::vector<uint8_t> path(px_sun_path_size());
  size_t len = 0;
  int r = px_getsockname_unix(IntArg(info, 0), path.data(), &len);
  return r < 0 ? Num(info, r) : PathBytes(info, path, len);
}

Napi::Value Setsockopt(const Napi::CallbackInfo& info) {
  return Num(info, px_setsockopt_int(IntArg(info, 0), IntArg(info, 1), IntArg(info, 2), IntArg(info, 3)));
}

// getsockopt(fd, level, name, out: Int32Array) -> 0 | -errno; the value in out[0].
Napi::Value Getsockopt(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 3, napi_int32_array, 1)) return Num(info, -EINVAL);
  int value = 0;
  int r = px_getsockopt_int(IntArg(info, 0), IntArg(info, 1), IntArg(info, 2), &value);
  info[3].As<Napi::Int32Array>()[0] = value;
  return Num(info, r);
}

Napi::Object SocketConstants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define PF_CONST(name) c.Set(#name, Napi::Number::New(env, name));
  PF_CONST(AF_UNIX)
  PF_CONST(SOCK_STREAM)
  PF_CONST(SOCK_DGRAM)
  PF_CONST(SOCK_SEQPACKET)
  PF_CONST(SOL_SOCKET)
  PF_CONST(SO_REUSEADDR)
  PF_CONST(SO_ERROR)
  PF_CONST(SO_SNDBUF)
  PF_CONST(SO_RCVBUF)
  PF_CONST(SO_TYPE)
  PF_CONST(SOMAXCONN)
#undef PF_CONST
  c.Set("SUN_PATH_SIZE", Napi::Number::New(env, static_cast<double>(px_sun_path_size())));
  return c;
}

}  // namespace

void RegisterSocket(Napi::Env env, Napi::Object exports) {
  exports.Set("socketpair", Napi::Function::New(env, Typed<Socketpair, 0b11>));
  exports.Set("socket", Napi::Function::New(env, Typed<Socket, 0b11>));
  exports.Set("bindUnix", Napi::Function::New(env, Typed<WithPath<px_bind_unix>, 0b1>));
  exports.Set("connectUnix", Napi::Function::New(env, Typed<WithPath<px_connect_unix>, 0b1>));
  exports.Set("listen", Napi::Function::New(env, Typed<Listen, 0b11>));
  exports.Set("accept", Napi::Function::New(env, Typed<Accept, 0b1>));
  exports.Set("getsockname", Napi::Function::New(env, Typed<Getsockname, 0b1>));
  exports.Set("setsockopt", Napi::Function::New(env, Typed<Setsockopt, 0b1111>));
  exports.Set("getsockopt", Napi::Function::New(env, Typed<Getsockopt, 0b111>));
  exports.Set("socketConstants", SocketConstants(env));
}

}  // namespace pipefork
