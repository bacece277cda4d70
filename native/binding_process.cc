// The Node-API binding for processes: native/process.cc and native/spawn.cc.
#include <napi.h>

#include "process.h"

namespace pipefork {

namespace {

inline int IntArg(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

Napi::Value Exit(const Napi::CallbackInfo& info) { px_exit(IntArg(info, 0)); }

Napi::Value Getpid(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), px_getpid()); }

Napi::Value Getppid(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), px_getppid()); }

}  // namespace

void RegisterProcess(Napi::Env env, Napi::Object exports) {
  exports.Set("_exit", Napi::Function::New(env, Exit));
  exports.Set("getpid", Napi::Function::New(env, Getpid));
  exports.Set("getppid", Napi::Function::New(env, Getppid));
}

}  // namespace pipefork
