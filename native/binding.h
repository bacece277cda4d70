// Helpers shared by the Node-API binding files (binding.cc,
// binding_process.cc): the only headers besides them that include napi.h.
#pragma once

#include <napi.h>

namespace pipefork {

// The TypeScript layer has already checked that these are integers in range.
inline int IntArg(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

inline Napi::Value Num(const Napi::CallbackInfo& info, double v) { return Napi::Number::New(info.Env(), v); }

}  // namespace pipefork
