// The pool allocator of issue 17 through V8's own API (not Node-API): each
// result is an ArrayBuffer over a pool block whose BackingStore deleter gives
// the block back. V8 calls that deleter when the memory itself dies -- after
// every ArrayBuffer that held it, including one it was moved to by
// ArrayBuffer.prototype.transfer(), a ReadableByteStream's enqueue() or a
// postMessage() transfer -- on its sweeper thread, inside the GC cycle, with
// no turn of the event loop needed. Node-API cannot do this: its finalizers
// watch the ArrayBuffer object (unsafe once the memory is moved away) or are
// deferred to setImmediate (never run inside a synchronous read loop).
//
// The price: this addon is built per Node ABI (as native/fork is), and V8
// refuses external backing stores in builds with the V8 sandbox (Electron),
// where the caller must fall back to ordinary Buffers.
//
//   poolV8(fd, n)   a Buffer of what one read of at most n bytes got, its
//                   memory a pool block; 0 at EOF, -errno on failure
//   slabV8()        a 64 KiB pool block as an ArrayBuffer, for JS to cut
//                   small results from
//   statsV8()       counters
#include <errno.h>
#include <node.h>
#include <node_buffer.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <v8.h>

#include "pool.h"

namespace alloc {
namespace {

uint8_t src[BlockPool::kMaxBlock];
BlockPool* g_pool = nullptr;
ReturnQueue g_returned;
std::atomic<uint64_t> g_freed_main{0}, g_freed_other{0};
double g_fallback = 0, g_taken = 0;
pid_t g_main_tid = 0;

// The deleter: V8 calls it once the block's BackingStore is gone, on any thread.
void OnFree(void* data, size_t, void* cls) {
  g_returned.Push({static_cast<uint8_t*>(data), static_cast<int>(reinterpret_cast<intptr_t>(cls))});
  (syscall(SYS_gettid) == g_main_tid ? g_freed_main : g_freed_other).fetch_add(1, std::memory_order_relaxed);
}

// V8 runs a scavenge when it allocates an ArrayBuffer's memory itself and
// finds that young ArrayBuffers already hold twice the semi-space's size;
// external backing stores never take that path, so without this V8 only sees
// them as external memory and collects them with a full mark-compact every
// ~64 MiB. A 1-byte V8 ArrayBuffer every 64 results lets the young check run.
unsigned g_nudge_every = 64;  // 0: never (ALLOC_NUDGE in the environment)
size_t g_nudge_size = 1;

void Nudge(v8::Isolate* isolate) {
  static unsigned calls = 0;
  if (g_nudge_every && ++calls % g_nudge_every == 0) v8::ArrayBuffer::New(isolate, g_nudge_size);
}

// A block for n bytes: a free one, else one that a GC has given back since,
// else new memory up to the pool's cap; {nullptr} past it.
BlockPool::Block Take(size_t n) {
  BlockPool::Block b = g_pool->TakeFree(n);
  if (b.data) return b;
  g_returned.Drain([](BlockPool::Block r) { g_pool->Give(r); });
  b = g_pool->TakeFree(n);
  return b.data ? b : g_pool->TakeNew(n);
}

ssize_t Fill(int fd, uint8_t* p, size_t n) {
  if (fd < 0) {
    memcpy(p, src, n);
    return static_cast<ssize_t>(n);
  }
  for (;;) {
    ssize_t k = ::read(fd, p, n);
    if (k >= 0 || errno != EINTR) return k < 0 ? -errno : k;
  }
}

v8::Local<v8::ArrayBuffer> Lend(v8::Isolate* isolate, BlockPool::Block b, size_t len) {
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(b.data, len, OnFree, reinterpret_cast<void*>(static_cast<intptr_t>(b.cls)));
  return v8::ArrayBuffer::New(isolate, std::move(store));
}

void PoolV8(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  int fd = args[0]->Int32Value(context).FromMaybe(-1);
  int32_t want = args[1]->Int32Value(context).FromMaybe(0);
  if (want <= 0 || static_cast<size_t>(want) > BlockPool::kMaxBlock) return;
  size_t n = static_cast<size_t>(want);
  Nudge(isolate);
  BlockPool::Block b = Take(n);
  if (!b.data) {  // the pool is at its cap: an ordinary Buffer
    g_fallback++;
    v8::Local<v8::Object> buf = node::Buffer::New(isolate, n).ToLocalChecked();
    ssize_t k = Fill(fd, reinterpret_cast<uint8_t*>(node::Buffer::Data(buf)), n);
    if (k <= 0) return args.GetReturnValue().Set(static_cast<double>(k));
    if (static_cast<size_t>(k) < n) buf = node::Buffer::Copy(isolate, node::Buffer::Data(buf), k).ToLocalChecked();
    return args.GetReturnValue().Set(buf);
  }
  g_taken++;
  ssize_t k = Fill(fd, b.data, n);
  if (k <= 0) {
    g_pool->Give(b);
    return args.GetReturnValue().Set(static_cast<double>(k));
  }
  v8::Local<v8::ArrayBuffer> ab = Lend(isolate, b, static_cast<size_t>(k));
  args.GetReturnValue().Set(node::Buffer::New(isolate, ab, 0, static_cast<size_t>(k)).ToLocalChecked());
}

void SlabV8(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  Nudge(isolate);
  BlockPool::Block b = Take(BlockPool::kMaxBlock);
  if (!b.data) {
    g_fallback++;
    return args.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, BlockPool::kMaxBlock));
  }
  g_taken++;
  args.GetReturnValue().Set(Lend(isolate, b, BlockPool::kMaxBlock));
}

void StatsV8(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> o = v8::Object::New(isolate);
  auto set = [&](const char* k, double d) {
    o->Set(context, v8::String::NewFromUtf8(isolate, k).ToLocalChecked(), v8::Number::New(isolate, d)).Check();
  };
  set("mapped", static_cast<double>(g_pool->mapped()));
  set("free", static_cast<double>(g_pool->free_bytes()));
  set("taken", g_taken);
  set("fallback", g_fallback);
  set("freedOnMain", static_cast<double>(g_freed_main.load()));
  set("freedElsewhere", static_cast<double>(g_freed_other.load()));
  args.GetReturnValue().Set(o);
}

// configureV8(capBytes, hugePages[, nudgeEvery]): a fresh pool (the old one's
// blocks stay mapped, so nothing alive points into freed memory).
void ConfigureV8(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  if (args.Length() > 2) g_nudge_every = static_cast<unsigned>(args[2]->Int32Value(context).FromMaybe(64));
  g_pool = new BlockPool(static_cast<size_t>(args[0]->Int32Value(context).FromMaybe(64 << 20)),
                         args[1]->BooleanValue(args.GetIsolate()));
}

}  // namespace
}  // namespace alloc

NODE_MODULE_INIT(/* exports, module, context */) {
  using namespace alloc;
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  memset(src, 'x', sizeof src);
  g_main_tid = static_cast<pid_t>(syscall(SYS_gettid));
  if (!g_pool) g_pool = new BlockPool(64u << 20, false);
  if (const char* e = getenv("ALLOC_NUDGE")) g_nudge_every = static_cast<unsigned>(atoi(e));
  if (const char* e = getenv("ALLOC_NUDGE_SIZE")) g_nudge_size = static_cast<size_t>(atol(e));
  auto fn = [&](const char* name, v8::FunctionCallback cb) {
    exports
        ->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(),
              v8::FunctionTemplate::New(isolate, cb)->GetFunction(context).ToLocalChecked())
        .Check();
  };
  fn("poolV8", PoolV8);
  fn("slabV8", SlabV8);
  fn("statsV8", StatsV8);
  fn("configureV8", ConfigureV8);
}
