// The Node-API binding of posix_env.cc: the working directory, umask,
// unlink, getsid. Paths come as a string (UTF-8) or as a Uint8Array of the
// exact bytes (a Python bytes path); failures come back as -errno.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <napi.h>

#include <string>
#include <vector>

#include "binding.h"
#include "posix_env.h"

namespace pipefork {

namespace {

// getcwd(): the directory's bytes as a Buffer, or -errno. The buffer grows
// for paths longer than PATH_MAX, as CPython's posix_getcwd does.
Napi::Value Getcwd(const Napi::CallbackInfo& info) {
  std::vector<char> buf(PATH_MAX);
  for (;;) {
    ssize_t n = px_getcwd(buf.data(), buf.size());
    if (n >= 0) return Napi::Buffer<char>::Copy(info.Env(), buf.data(), static_cast<size_t>(n));
    if (n != -ERANGE) return Num(info, static_cast<double>(n));
    buf.resize(buf.size() * 2);
  }
}

Napi::Value Chdir(const Napi::CallbackInfo& info) {
  std::string path;
  if (!PathArg(info, 0, &path)) return Num(info, -EINVAL);
  return Num(info, px_chdir(path.c_str()));
}

Napi::Value Fchdir(const Napi::CallbackInfo& info) { return Num(info, px_fchdir(IntArg(info, 0))); }

Napi::Value Umask(const Napi::CallbackInfo& info) { return Num(info, px_umask(IntArg(info, 0))); }

// unlinkat(dir_fd, path): dir_fd -1 means the working directory (AT_FDCWD).
Napi::Value Unlinkat(const Napi::CallbackInfo& info) {
  std::string path;
  if (!PathArg(info, 1, &path)) return Num(info, -EINVAL);
  int dir_fd = IntArg(info, 0);
  return Num(info, px_unlinkat(dir_fd == -1 ? AT_FDCWD : dir_fd, path.c_str()));
}

Napi::Value Getsid(const Napi::CallbackInfo& info) { return Num(info, px_getsid(IntArg(info, 0))); }

}  // namespace

void RegisterEnv(Napi::Env env, Napi::Object exports) {
  exports.Set("getcwd", Napi::Function::New(env, Getcwd));
  exports.Set("chdir", Napi::Function::New(env, Chdir));
  exports.Set("fchdir", Napi::Function::New(env, Typed<Fchdir, 0b1>));
  exports.Set("umask", Napi::Function::New(env, Typed<Umask, 0b1>));
  exports.Set("unlinkat", Napi::Function::New(env, Typed<Unlinkat, 0b1>));
  exports.Set("getsid", Napi::Function::New(env, Typed<Getsid, 0b1>));
}

}  // namespace pipefork
