// The Node-API binding for processes: native/process.cc and native/spawn.cc.
#include <napi.h>

namespace pipefork {

void RegisterProcess(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}

}  // namespace pipefork
