// The Node-API binding for processes: native/process.cc and native/spawn.cc.
// Failures come back as a negative errno; lib/os_process.ts and
// lib/subprocess.ts raise the CPython-shaped error.
#include <errno.h>
#include <napi.h>
#include <signal.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "binding.h"
#include "process.h"
#include "spawn.h"

namespace pipefork {

namespace {

// A JS array of strings or Uint8Arrays (bytes pass through untouched) as a
// nullptr-terminated char* array, owned here. The TypeScript layer has
// already refused embedded NULs.
class CStrings {
 public:
  bool Load(Napi::Value v) {
    if (!v.IsArray()) return false;
    Napi::Array a = v.As<Napi::Array>();
    uint32_t n = a.Length();
    store_.reserve(n);
    for (uint32_t i = 0; i < n; i++) {
      Napi::Value e = a.Get(i);
      if (e.IsString()) {
        store_.push_back(e.As<Napi::String>().Utf8Value());
      } else if (e.IsTypedArray() && e.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
        Napi::Uint8Array b = e.As<Napi::Uint8Array>();
        store_.emplace_back(reinterpret_cast<const char*>(b.Data()), b.ByteLength());
      } else {
        return false;
      }
    }
    for (auto& s : store_) ptrs_.push_back(&s[0]);
    ptrs_.push_back(nullptr);
    return true;
  }
  char* const* Get() { return ptrs_.data(); }

 private:
  std::vector<std::string> store_;
  std::vector<char*> ptrs_;
};

Napi::Value Exit(const Napi::CallbackInfo& info) { px_exit(IntArg(info, 0)); }

Napi::Value Getpid(const Napi::CallbackInfo& info) { return Num(info, px_getpid()); }

Napi::Value Getppid(const Napi::CallbackInfo& info) { return Num(info, px_getppid()); }

// waitpid(pid, options, out: Int32Array) -> pid | 0 | -errno; out[0] = status.
Napi::Value Waitpid(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 2, napi_int32_array, 1)) return Num(info, -EINVAL);
  Napi::Int32Array out = info[2].As<Napi::Int32Array>();
  int status = 0;
  int r = px_waitpid(IntArg(info, 0), IntArg(info, 1), &status);
  out[0] = status;
  return Num(info, r);
}

// waitAny(pids: Int32Array, timeoutMs) -> index | pids.length (timeout) | -errno
Napi::Value WaitAny(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 0, napi_int32_array)) return Num(info, -EINVAL);
  Napi::Int32Array pids = info[0].As<Napi::Int32Array>();
  return Num(info, px_wait_any(pids.Data(), static_cast<int>(pids.ElementLength()), IntArg(info, 1)));
}

Napi::Value Kill(const Napi::CallbackInfo& info) { return Num(info, px_kill(IntArg(info, 0), IntArg(info, 1))); }

Napi::Value Killpg(const Napi::CallbackInfo& info) { return Num(info, px_killpg(IntArg(info, 0), IntArg(info, 1))); }

Napi::Value Setsid(const Napi::CallbackInfo& info) { return Num(info, px_setsid()); }

Napi::Value Getpgid(const Napi::CallbackInfo& info) { return Num(info, px_getpgid(IntArg(info, 0))); }

Napi::Value Getpgrp(const Napi::CallbackInfo& info) { return Num(info, px_getpgrp()); }

Napi::Value Setpgid(const Napi::CallbackInfo& info) { return Num(info, px_setpgid(IntArg(info, 0), IntArg(info, 1))); }

Napi::Value PidfdOpen(const Napi::CallbackInfo& info) {
  return Num(info, px_pidfd_open(IntArg(info, 0), info[1].As<Napi::Number>().Uint32Value()));
}

Napi::Value SetPipeSize(const Napi::CallbackInfo& info) {
  return Num(info, px_set_pipe_size(IntArg(info, 0), IntArg(info, 1)));
}

// pollFds(fds: Int32Array, events: Int16Array, revents: Int16Array, timeoutMs)
Napi::Value Poll(const Napi::CallbackInfo& info) {
  if (!IsArray(info, 0, napi_int32_array) || !IsArray(info, 1, napi_int16_array) || !IsArray(info, 2, napi_int16_array))
    return Num(info, -EINVAL);
  Napi::Int32Array fds = info[0].As<Napi::Int32Array>();
  Napi::Int16Array events = info[1].As<Napi::Int16Array>();
  Napi::Int16Array revents = info[2].As<Napi::Int16Array>();
  int n = static_cast<int>(fds.ElementLength());
  if (events.ElementLength() < fds.ElementLength() || revents.ElementLength() < fds.ElementLength())
    return Num(info, -EINVAL);
  return Num(info, px_poll(fds.Data(), events.Data(), revents.Data(), n, IntArg(info, 3)));
}

// exec(candidates, argv, envp | null, out: Int32Array) -> -errno (only
// returns on failure); out[0] = index of the candidate whose error it is.
Napi::Value Exec(const Napi::CallbackInfo& info) {
  CStrings candidates, argv, envp;
  if (!IsArray(info, 3, napi_int32_array, 1)) return Num(info, -EINVAL);
  if (!candidates.Load(info[0]) || !argv.Load(info[1])) return Num(info, -EINVAL);
  bool has_env = !info[2].IsNull() && !info[2].IsUndefined();
  if (has_env && !envp.Load(info[2])) return Num(info, -EINVAL);
  int failed = 0;
  int r = px_exec(candidates.Get(), argv.Get(), has_env ? envp.Get() : nullptr, &failed);
  info[3].As<Napi::Int32Array>()[0] = failed;
  return Num(info, r);
}

// spawn(candidates, argv, envp | null, cwd | null, stdio: Int32Array(6),
//       keep: Int32Array (sorted), flags, pgid, umask, uid, gid, groups | null)
//   -> pid > 0 | -errno (parent-side failure) | [errno, stage] (the child's)
Napi::Value Spawn(const Napi::CallbackInfo& info) {
  CStrings candidates, argv, envp;
  if (!candidates.Load(info[0]) || !argv.Load(info[1])) return Num(info, -EINVAL);
  bool has_env = !info[2].IsNull() && !info[2].IsUndefined();
  if (has_env && !envp.Load(info[2])) return Num(info, -EINVAL);
  // cwd: a str, or bytes (a path need not be UTF-8).
  std::string cwd;
  bool has_cwd = true;
  if (info[3].IsString()) {
    cwd = info[3].As<Napi::String>().Utf8Value();
  } else if (info[3].IsTypedArray() && info[3].As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    Napi::Uint8Array b = info[3].As<Napi::Uint8Array>();
    cwd.assign(reinterpret_cast<const char*>(b.Data()), b.ByteLength());
  } else {
    has_cwd = false;
  }
  if (!IsArray(info, 4, napi_int32_array, 6) || !IsArray(info, 5, napi_int32_array)) return Num(info, -EINVAL);
  Napi::Int32Array stdio = info[4].As<Napi::Int32Array>();
  Napi::Int32Array keep = info[5].As<Napi::Int32Array>();
  if (stdio.ElementLength() != 6) return Num(info, -EINVAL);
  int flags = IntArg(info, 6);

  SpawnParams p{};
  p.exec_list = candidates.Get();
  p.argv = argv.Get();
  p.envp = has_env ? envp.Get() : nullptr;
  p.cwd = has_cwd ? cwd.c_str() : nullptr;
  p.p2cread = stdio[0];
  p.p2cwrite = stdio[1];
  p.c2pread = stdio[2];
  p.c2pwrite = stdio[3];
  p.errread = stdio[4];
  p.errwrite = stdio[5];
  // Copied: the child must not read a JS-owned buffer the GC could move.
  std::vector<int> keepv(keep.Data(), keep.Data() + keep.ElementLength());
  p.keep = keepv.data();
  p.nkeep = static_cast<int>(keepv.size());
  p.close_fds = flags & 1;
  p.restore_signals = flags & 2;
  p.call_setsid = flags & 4;
  p.pgid_to_set = IntArg(info, 7);
  p.umask = IntArg(info, 8);
  p.uid = static_cast<long long>(info[9].As<Napi::Number>().Int64Value());
  p.gid = static_cast<long long>(info[10].As<Napi::Number>().Int64Value());
  std::vector<unsigned> groups;
  p.ngroups = -1;
  if (info[11].IsTypedArray()) {
    if (!IsArray(info, 11, napi_uint32_array)) return Num(info, -EINVAL);
    Napi::Uint32Array g = info[11].As<Napi::Uint32Array>();
    groups.assign(g.Data(), g.Data() + g.ElementLength());
    p.groups = groups.data();
    p.ngroups = static_cast<int>(groups.size());
  }

  SpawnError err;
  int r = px_spawn(p, &err);
  if (r != 0) return Num(info, r);
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Num(info, err.err));
  out.Set(1u, Num(info, err.stage));
  return out;
}

Napi::Object ProcessConstants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define PF_CONST(name) c.Set(#name, Napi::Number::New(env, name));
  PF_CONST(WNOHANG)
  PF_CONST(WUNTRACED)
  PF_CONST(WCONTINUED)
  PF_CONST(NSIG)
#undef PF_CONST
  return c;
}

}  // namespace

void RegisterProcess(Napi::Env env, Napi::Object exports) {
  exports.Set("_exit", Napi::Function::New(env, Typed<Exit, 0b1>));
  exports.Set("getpid", Napi::Function::New(env, Getpid));
  exports.Set("getppid", Napi::Function::New(env, Getppid));
  exports.Set("waitpid", Napi::Function::New(env, Typed<Waitpid, 0b11>));
  exports.Set("waitAny", Napi::Function::New(env, Typed<WaitAny, 0b10>));
  exports.Set("kill", Napi::Function::New(env, Typed<Kill, 0b11>));
  exports.Set("killpg", Napi::Function::New(env, Typed<Killpg, 0b11>));
  exports.Set("setsid", Napi::Function::New(env, Setsid));
  exports.Set("getpgid", Napi::Function::New(env, Typed<Getpgid, 0b1>));
  exports.Set("getpgrp", Napi::Function::New(env, Getpgrp));
  exports.Set("setpgid", Napi::Function::New(env, Typed<Setpgid, 0b11>));
  exports.Set("pidfdOpen", Napi::Function::New(env, Typed<PidfdOpen, 0b11>));
  exports.Set("setPipeSize", Napi::Function::New(env, Typed<SetPipeSize, 0b11>));
  exports.Set("pollFds", Napi::Function::New(env, Typed<Poll, 0b1000>));
  exports.Set("exec", Napi::Function::New(env, Exec));
  exports.Set("spawn", Napi::Function::New(env, Typed<Spawn, 0b11111000000>));
  exports.Set("processConstants", ProcessConstants(env));
}

}  // namespace pipefork
