// The read-result allocator's exports (readpool.cc), added to the per-ABI
// addon's by its Init (fork.cc).
#pragma once

#include <v8.h>

namespace pipefork_readpool {

// Adds readBuffer, readSlab, growNew, growRead, growTake, readPoolConfigure
// and readPoolStats to exports, with a pool for this environment; nothing
// where V8 has its sandbox (no external backing stores there).
void Register(v8::Local<v8::Object> exports, v8::Local<v8::Context> context);

}  // namespace pipefork_readpool
