// Helpers shared by the Node-API binding files (binding.cc,
// binding_process.cc): the only headers besides them that include napi.h.
#pragma once

#include <errno.h>
#include <napi.h>

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

}  // namespace pipefork
