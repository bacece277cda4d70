// os.fork(): the part of pipefork that needs Node's and V8's C++ API
// (node.h, v8.h, uv.h), so it is built per Node major. See ../../FORK notes in README.
#include <node.h>

namespace {
void Init(v8::Local<v8::Object> exports) { (void)exports; }
}  // namespace

NODE_MODULE(pipefork_fork, Init)
