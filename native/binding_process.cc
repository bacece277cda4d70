// The Node-API binding for processes: native/process.cc and native/spawn.cc.
// Failures come back as a negative errno (or, for exec and spawn, a small
// record); lib/posix/ raises the CPython-shaped error.
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
  size_t Count() const { return store_.size(); }

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

// exec(candidates, argv, envp | null) -> { errno, index } (only returns on
// failure): the error to report and the candidate it came from.
Napi::Value Exec(const Napi::CallbackInfo& info) {
  CStrings candidates, argv, envp;
  if (!candidates.Load(info[0]) || !argv.Load(info[1])) return Num(info, -EINVAL);
  bool has_env = !info[2].IsNull() && !info[2].IsUndefined();
  if (has_env && !envp.Load(info[2])) return Num(info, -EINVAL);
  int failed = 0;
  int r = px_exec(candidates.Get(), argv.Get(), has_env ? envp.Get() : nullptr, &failed);
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("errno", Num(info, -r));
  out.Set("index", Num(info, failed));
  return out;
}

// What each Node environment (the main thread, each Worker) keeps: the
// spawn child's stack, mapped on its first spawn and unmapped when the
// environment is torn down. (A thread_local stack was never unmapped: every
// Worker that used Popen left 128 KiB behind.)
struct AddonData {
  ChildStack stack;
  ~AddonData() { px_child_stack_unmap(&stack); }
};

// The fields of spawn()'s options object, each checked. A malformed object
// can only come from calling the addon directly (lib/posix/process.ts builds
// it): a TypeError naming the field, before anything runs.
class SpawnFields {
 public:
  explicit SpawnFields(const Napi::CallbackInfo& info) : env_(info.Env()) {
    if (info[0].IsObject())
      o_ = info[0].As<Napi::Object>();
    else
      Fail("options", "an object");
  }
  bool ok() const { return !failed_; }

  // The field's value; undefined once a field has failed.
  Napi::Value Get(const char* name) { return failed_ ? env_.Undefined() : o_.Get(name); }

  // An int >= -1 (an fd, a pgid, a umask; -1 = none).
  int Int(const char* name) {
    Napi::Value v = Get(name);
    double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -2;
    if (d >= -1 && d <= 2147483647.0 && d == static_cast<int>(d)) return static_cast<int>(d);
    Fail(name, "an int >= -1");
    return -1;
  }
  // A uid_t/gid_t, or -1 (leave alone).
  long long Id(const char* name) {
    Napi::Value v = Get(name);
    double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -2;
    if (d >= -1 && d <= 4294967295.0 && d == static_cast<long long>(d)) return static_cast<long long>(d);
    Fail(name, "an id or -1");
    return -1;
  }
  bool Bool(const char* name) {
    Napi::Value v = Get(name);
    if (v.IsBoolean()) return v.As<Napi::Boolean>().Value();
    Fail(name, "a boolean");
    return false;
  }
  // Strings or Uint8Arrays; false for null when nullable.
  enum Kind { kAny, kNonEmpty, kNullable };
  bool Strings(const char* name, CStrings* out, Kind kind) {
    Napi::Value v = Get(name);
    if (!failed_ && kind == kNullable && v.IsNull()) return false;
    if (!failed_ && out->Load(v) && (kind != kNonEmpty || out->Count() > 0)) return true;
    Fail(name, kind == kNullable   ? "an array of strings or Uint8Arrays, or null"
               : kind == kNonEmpty ? "a non-empty array of strings or Uint8Arrays"
                                   : "an array of strings or Uint8Arrays");
    return false;
  }
  // A str or bytes path (a path need not be UTF-8); false for null.
  bool Path(const char* name, std::string* out) {
    Napi::Value v = Get(name);
    if (failed_ || v.IsNull()) return false;
    if (v.IsString()) {
      *out = v.As<Napi::String>().Utf8Value();
      return true;
    }
    if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
      Napi::Uint8Array b = v.As<Napi::Uint8Array>();
      out->assign(reinterpret_cast<const char*>(b.Data()), b.ByteLength());
      return true;
    }
    Fail(name, "a string, a Uint8Array or null");
    return false;
  }
  // An Int32Array (or Uint32Array), copied: the child must not read a
  // JS-owned buffer. False for null when nullable.
  template <typename T>
  bool Array(const char* name, napi_typedarray_type type, std::vector<T>* out, bool nullable) {
    Napi::Value v = Get(name);
    if (!failed_ && nullable && v.IsNull()) return false;
    if (!failed_ && v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == type) {
      Napi::TypedArray a = v.As<Napi::TypedArray>();
      const T* data = reinterpret_cast<const T*>(static_cast<const uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset());
      out->assign(data, data + a.ElementLength());
      return true;
    }
    Fail(name, type == napi_int32_array ? "an Int32Array" : "a Uint32Array or null");
    return false;
  }
  Napi::Value Throw() {
    Napi::TypeError::New(env_, message_).ThrowAsJavaScriptException();
    return env_.Undefined();
  }

 private:
  void Fail(const char* name, const char* what) {
    if (!failed_) message_ = std::string("spawn(): '") + name + "' must be " + what;
    failed_ = true;
  }
  Napi::Env env_;
  Napi::Object o_;
  bool failed_ = false;
  std::string message_;
};

const char* StageName(int stage) {
  switch (stage) {
    case kStageChild:
      return "child";
    case kStageChdir:
      return "chdir";
    case kStageExec:
      return "exec";
    default:
      return "parent";
  }
}

// spawn({ executables, argv, envp, cwd, p2cread, p2cwrite, c2pread,
//         c2pwrite, errread, errwrite, passFds, closeFds, restoreSignals,
//         startNewSession, processGroup, umask, uid, gid, extraGroups })
//   -> { pid } | { errno, stage, filename }
// stage 'parent': our own syscall failed (filename null); 'child', 'chdir',
// 'exec': the child reported it on the error pipe and has been reaped;
// filename is the cwd (chdir) or the executable tried (exec), as given.
Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SpawnFields f(info);
  CStrings executables, argv, envp;
  std::string cwd;
  std::vector<int> keep;
  std::vector<unsigned> groups;
  SpawnParams p{};
  f.Strings("executables", &executables, SpawnFields::kNonEmpty);
  f.Strings("argv", &argv, SpawnFields::kAny);
  bool has_env = f.Strings("envp", &envp, SpawnFields::kNullable);
  bool has_cwd = f.Path("cwd", &cwd);
  p.p2cread = f.Int("p2cread");
  p.p2cwrite = f.Int("p2cwrite");
  p.c2pread = f.Int("c2pread");
  p.c2pwrite = f.Int("c2pwrite");
  p.errread = f.Int("errread");
  p.errwrite = f.Int("errwrite");
  f.Array("passFds", napi_int32_array, &keep, false);
  p.close_fds = f.Bool("closeFds");
  p.restore_signals = f.Bool("restoreSignals");
  p.call_setsid = f.Bool("startNewSession");
  p.pgid_to_set = f.Int("processGroup");
  p.umask = f.Int("umask");
  p.uid = f.Id("uid");
  p.gid = f.Id("gid");
  bool has_groups = f.Array("extraGroups", napi_uint32_array, &groups, true);
  if (!f.ok()) return f.Throw();

  p.exec_list = executables.Get();
  p.argv = argv.Get();
  p.envp = has_env ? envp.Get() : nullptr;
  p.cwd = has_cwd ? cwd.c_str() : nullptr;
  p.keep = keep.data();
  p.nkeep = static_cast<int>(keep.size());
  p.groups = groups.data();
  p.ngroups = has_groups ? static_cast<int>(groups.size()) : -1;

  AddonData* data = env.GetInstanceData<AddonData>();
  ChildFailure failure;
  int r = px_spawn(p, &data->stack, &failure);
  Napi::Object out = Napi::Object::New(env);
  if (r > 0) {
    out.Set("pid", Num(info, r));
    return out;
  }
  int err = r < 0 ? -r : failure.err;
  int stage = r < 0 ? kStageParent : failure.stage;
  Napi::Value filename = env.Null();
  if (stage == kStageChdir) filename = f.Get("cwd");
  if (stage == kStageExec) filename = f.Get("executables").As<Napi::Array>().Get(static_cast<uint32_t>(failure.index));
  out.Set("errno", Num(info, err));
  out.Set("stage", Napi::String::New(env, StageName(stage)));
  out.Set("filename", filename);
  return out;
}

Napi::Value ChildStacksLive(const Napi::CallbackInfo& info) { return Num(info, px_child_stacks_live()); }

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
  env.SetInstanceData(new AddonData());
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
  exports.Set("spawn", Napi::Function::New(env, Spawn));
  exports.Set("childStacksLive", Napi::Function::New(env, ChildStacksLive));
  exports.Set("processConstants", ProcessConstants(env));
}

}  // namespace pipefork
