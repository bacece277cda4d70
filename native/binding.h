// Helpers shared by the Node-API binding files (binding.cc,
// binding_process.cc): the only headers besides them that include napi.h.
#pragma once

#include <napi.h>

namespace pipefork {

// The TypeScript layer has already checked that these are integers in range.
inline int IntArg(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

inline Napi::Value Num(const Napi::CallbackInfo& info, double v) { return Napi::Number::New(info.Env(), v); }

// Whether info[i] is a typed array of the given kind with at least min
// elements. `.As<Napi::Int32Array>()` checks neither, and the functions
// write through these arrays: callers return -EINVAL when this is false, so
// calling the addon directly with the wrong array cannot write out of bounds.
inline bool IsArray(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type type, size_t min = 0) {
  if (!info[i].IsTypedArray()) return false;
  Napi::TypedArray a = info[i].As<Napi::TypedArray>();
  return a.TypedArrayType() == type && a.ElementLength() >= min;
}

}  // namespace pipefork
