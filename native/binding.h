// Helpers shared by the Node-API binding files (binding.cc,
// binding_process.cc, ready.cc): the only headers besides them that include napi.h.
#pragma once

#include <errno.h>
#include <napi.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace pipefork {

// The TypeScript layer has already checked that these are integers in range.
inline int IntArg(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

inline Napi::Value Num(const Napi::CallbackInfo& info, double v) { return Napi::Number::New(info.Env(), v); }

// F, run only when the arguments at the bit positions of Nums are numbers,
// of Bools booleans and of Strs strings; otherwise -EINVAL. As<T>() on the
// wrong type leaves a JS exception pending and yields 0, and the syscall
// would still run with it: native.close(undefined) would close fd 0. (lib/
// always passes the right types; this is for calls made to the addon
// directly.)
template <Napi::Value (*F)(const Napi::CallbackInfo&), unsigned Nums, unsigned Bools = 0, unsigned Strs = 0>
Napi::Value Typed(const Napi::CallbackInfo& info) {
  for (size_t i = 0; i < 16; i++) {
    if ((((Nums >> i) & 1) && !info[i].IsNumber()) || (((Bools >> i) & 1) && !info[i].IsBoolean()) ||
        (((Strs >> i) & 1) && !info[i].IsString()))
      return Num(info, -EINVAL);
  }
  return F(info);
}

// Whether info[i] is a typed array of the given kind with at least min
// elements. `.As<Napi::Int32Array>()` checks neither, and the functions
// write through these arrays: callers return -EINVAL when this is false, so
// calling the addon directly with the wrong array cannot write out of bounds.
inline bool IsArray(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type type, size_t min = 0) {
  if (!info[i].IsTypedArray()) return false;
  Napi::TypedArray a = info[i].As<Napi::TypedArray>();
  return a.TypedArrayType() == type && a.ElementLength() >= min;
}

// The path at info[i] with a terminating NUL: a string (UTF-8) or a
// Uint8Array of the exact bytes (a Python bytes path, or a str path that
// lib/convert.ts's fsencode made bytes); false if it is neither.
inline bool PathArg(const Napi::CallbackInfo& info, size_t i, std::string* out) {
  if (info[i].IsString()) {
    *out = info[i].As<Napi::String>().Utf8Value();
    return true;
  }
  if (!IsArray(info, i, napi_uint8_array)) return false;
  Napi::Uint8Array a = info[i].As<Napi::Uint8Array>();
  out->assign(reinterpret_cast<const char*>(a.Data()), a.ElementLength());
  return true;
}

// A Uint8Array's bytes; the TypeScript layer passes only Uint8Arrays.
struct Bytes {
  uint8_t* data = nullptr;
  size_t len = 0;
};

inline bool GetBytes(napi_env env, napi_value v, Bytes* out) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok || type != napi_uint8_array)
    return false;
  out->data = static_cast<uint8_t*>(data);
  out->len = length;
  return true;
}

// The (fd, Uint8Array) arguments of read and write (binding.cc) and of the
// calls that never wait (ready.cc); false if they are not that. These are the
// hot path (a 1-byte round trip is ~1 us), so they use the plain C API:
// node-addon-api's CallbackInfo wrapper costs ~15 ns a call here.
inline bool FdAndBytes(napi_env env, napi_callback_info info, int32_t* fd, Bytes* b) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc >= 2 && napi_get_value_int32(env, argv[0], fd) == napi_ok && GetBytes(env, argv[1], b);
}

inline napi_value Count(napi_env env, ssize_t n) {
  napi_value result;
  napi_create_double(env, static_cast<double>(n), &result);
  return result;
}

// The (fd, ArrayBuffer, offset, length) arguments of readAt/writeAt: the
// same syscalls on a range of an ArrayBuffer. The buffered io classes keep one arena and would
// otherwise make a view object per read(2) just to name a range of it.
inline bool FdAndRange(napi_env env, napi_callback_info info, int32_t* fd, Bytes* b) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data;
  size_t cap;
  // Doubles, not uint32: an offset or length of 2**32 must not wrap to 0.
  double off, len;
  if (argc < 4 || napi_get_value_int32(env, argv[0], fd) != napi_ok ||
      napi_get_arraybuffer_info(env, argv[1], &data, &cap) != napi_ok ||
      napi_get_value_double(env, argv[2], &off) != napi_ok || napi_get_value_double(env, argv[3], &len) != napi_ok ||
      !(off >= 0 && len >= 0 && off <= static_cast<double>(cap) && len <= static_cast<double>(cap) - off))
    return false;
  b->data = static_cast<uint8_t*>(data) + static_cast<size_t>(off);
  b->len = static_cast<size_t>(len);
  return true;
}

}  // namespace pipefork
