// The memory of fresh read results, lent to V8 (pool.h has the pool itself).
// Each pooled result is an ArrayBuffer over a pool block whose BackingStore
// deleter gives the block back. V8 calls that deleter when the memory itself
// dies: after every ArrayBuffer that held it, including one it was moved to
// by ArrayBuffer.prototype.transfer(), a bytes ReadableStream's enqueue() or a
// postMessage() transfer, on whichever thread frees it (mostly the sweeper,
// inside the GC that found it dead, so blocks come back within a synchronous
// read loop). Node-API cannot say "this memory has died": its finalizers
// watch the ArrayBuffer object, which dies while moved memory lives on, or
// run on a later turn of the event loop (BENCHMARKS.md, issue 17). That is
// why this lives in the per-ABI addon: it needs V8's C++ API.
//
// V8 refuses external backing stores when built with its sandbox (Electron);
// there this file exports nothing and lib/readpool.ts falls back to
// Buffer.allocUnsafe.
//
//   readBuffer(n)        a Buffer of n <= 64 KiB bytes over a pool block
//                        (uninitialized), or an ordinary one past the cap
//   readSlab()           a 64 KiB ArrayBuffer over a pool block, for small
//                        results to be cut from
//   growNew(hint)        readall's buffer (a handle): a pool block first, a
//                        mapped region grown with mremap(2) past 64 KiB
//   growRead(g, fd)      one read(2) into it: the count, 0 at EOF, -errno
//   growTake(g)          what was read, as a Buffer; the handle is then empty
//   readPoolConfigure(paceShift)
//   readPoolStats()
#include <errno.h>
#include <node.h>
#include <node_buffer.h>
#include <unistd.h>
#include <v8.h>

#include <cstring>
#include <memory>

#include "pool.h"

namespace pipefork_readpool {

#ifndef V8_ENABLE_SANDBOX

namespace {

using pipefork_pool::Block;
using pipefork_pool::BlockPool;
using pipefork_pool::Region;
using pipefork_pool::SharedPool;
using v8::FunctionCallbackInfo;
using v8::Isolate;
using v8::Local;
using v8::Value;

// The most a pool maps, per environment. With pacing, a pool reading pipes
// flat out settles at 16-32 MiB (BENCHMARKS.md); past the cap results are
// ordinary Buffers: correct, only slower.
constexpr size_t kCap = 48u << 20;

// One per environment (the main thread, each Worker), freed with it; the
// SharedPool may live on until the last block it lent comes back.
struct EnvPool {
  SharedPool* pool;
  // Young-generation pacing (lib/readpool.ts says when and why): with each
  // result of n bytes, a short-lived array of n >> pace_shift slots (8 bytes
  // each); 0 for none.
  int pace_shift = 0;
  double taken = 0;
  double fallbacks = 0;
};

// v8::External took a type tag in V8 14 (Node 26), and the untagged calls
// are deprecated there: the tagged ones where they exist, with the default tag.
template <typename E = v8::External>
auto NewExternal(Isolate* isolate, void* p, int) -> decltype(E::New(isolate, p, uint16_t{0})) {
  return E::New(isolate, p, uint16_t{0});
}
template <typename E = v8::External>
Local<E> NewExternal(Isolate* isolate, void* p, long) {
  return E::New(isolate, p);
}
template <typename E>
auto ExternalValue(Local<E> e, int) -> decltype(e->Value(uint16_t{0})) {
  return e->Value(uint16_t{0});
}
template <typename E>
void* ExternalValue(Local<E> e, long) {
  return e->Value();
}

EnvPool* Of(const FunctionCallbackInfo<Value>& info) {
  return static_cast<EnvPool*>(ExternalValue(info.Data().As<v8::External>(), 0));
}

// The deleter: V8 has freed a lent block's memory, on any thread.
void OnBlockFree(void* data, size_t, void* tag) {
  int cls;
  SharedPool* pool = SharedPool::Untag(tag, &cls);
  pool->Returned(Block{static_cast<uint8_t*>(data), cls});
}

// The deleter of a readall result past one block: its region's pages.
void OnRegionFree(void* data, size_t len, void*) { munmap(data, Region::PageUp(len)); }

// An ArrayBuffer of len bytes over a block taken from the pool.
Local<v8::ArrayBuffer> LendBlock(Isolate* isolate, SharedPool* pool, Block b, size_t len) {
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(b.data, len, OnBlockFree, pool->Tag(b.cls));
  return v8::ArrayBuffer::New(isolate, std::move(store));
}

// Young-generation pacing: a short-lived array of n >> pace_shift slots, so
// that V8's young generation fills in step with the results and a scavenge,
// not a full mark-compact, finds them dead (lib/readpool.ts says why and how
// large).
void Pace(Isolate* isolate, EnvPool* env, size_t n) {
  if (env->pace_shift > 0) v8::Array::New(isolate, static_cast<int>(n >> env->pace_shift));
}

void ReadBuffer(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  EnvPool* env = Of(info);
  if (info.Length() < 1 || !info[0]->IsUint32()) return;
  size_t n = info[0].As<v8::Uint32>()->Value();
  if (n == 0 || n > BlockPool::kMaxBlock) return;
  Pace(isolate, env, n);
  Block b = env->pool->Take(n);
  if (b.data == nullptr) {
    env->fallbacks++;
    v8::Local<v8::Object> buf;
    if (node::Buffer::New(isolate, n).ToLocal(&buf)) info.GetReturnValue().Set(buf);
    return;
  }
  env->taken++;
  env->pool->Lend();
  Local<v8::ArrayBuffer> ab = LendBlock(isolate, env->pool, b, n);
  v8::Local<v8::Uint8Array> buf;
  if (node::Buffer::New(isolate, ab, 0, n).ToLocal(&buf)) info.GetReturnValue().Set(buf);
}

void ReadSlab(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  EnvPool* env = Of(info);
  constexpr size_t n = BlockPool::kMaxBlock;
  Pace(isolate, env, n);
  Block b = env->pool->Take(n);
  if (b.data == nullptr) {
    env->fallbacks++;
    info.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, n));
    return;
  }
  env->taken++;
  env->pool->Lend();
  info.GetReturnValue().Set(LendBlock(isolate, env->pool, b, n));
}

// ---- readall ----------------------------------------------------------------

// The state of one readall, owned by its handle (an ArrayBuffer over this
// struct, never seen outside lib/): freed with the handle if readall ends
// without taking its result, by an exception, say.
struct Grow {
  static constexpr uint32_t kMagic = 0x67726f77;
  uint32_t magic = kMagic;
  SharedPool* pool;
  // The first 64 KiB go into a pool block (a ref on the pool while held).
  Block block{nullptr, -1};
  Region region;
  size_t len = 0;

  ~Grow() {
    if (block.data != nullptr) pool->Returned(block);
    region.Free();
  }
};

void OnGrowFree(void* data, size_t, void*) { delete static_cast<Grow*>(data); }

Grow* GrowOf(Local<Value> v) {
  if (!v->IsArrayBuffer()) return nullptr;
  Local<v8::ArrayBuffer> ab = v.As<v8::ArrayBuffer>();
  if (ab->ByteLength() != sizeof(Grow)) return nullptr;
  Grow* g = static_cast<Grow*>(ab->Data());
  return g != nullptr && g->magic == Grow::kMagic ? g : nullptr;
}

// growNew(hint): hint is how much the fd says is left (a regular file's
// size less its position), 0 when it cannot tell.
void GrowNew(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  EnvPool* env = Of(info);
  double hint = info.Length() > 0 && info[0]->IsNumber() ? info[0].As<v8::Number>()->Value() : 0;
  auto* g = new Grow();
  g->pool = env->pool;
  // Past one block's worth (a regular file's rest, or a pipe made larger
  // than 64 KiB) a region from the start. CPython asks for one byte more than
  // a file's size, so that its one read meets EOF in the same buffer.
  if (hint > BlockPool::kMaxBlock) {
    if (g->region.Reserve(static_cast<size_t>(hint) + 1) != 0) g->region.Free();
  } else {
    g->block = env->pool->Take(BlockPool::kMaxBlock);
    if (g->block.data != nullptr) env->pool->Lend();
  }
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(g, sizeof(Grow), OnGrowFree, nullptr);
  info.GetReturnValue().Set(v8::ArrayBuffer::New(isolate, std::move(store)));
}

// Room for the next read: out of the block into a region once the block is
// full, the region grown once it is. 0 or -errno.
int MakeRoom(Grow* g) {
  if (g->block.data != nullptr) {
    size_t size = BlockPool::SizeOf(g->block.cls);
    if (g->len < size) return 0;
    int r = g->region.Reserve(2 * size);
    if (r != 0) return r;
    memcpy(g->region.data(), g->block.data, g->len);
    g->pool->Returned(g->block);
    g->block = Block{nullptr, -1};
    return 0;
  }
  if (g->len < g->region.cap()) return 0;
  // Doubling to 16 MiB, then by a quarter: pages past what is read are never
  // touched, so the spare capacity costs address space, not memory.
  size_t cap = g->region.cap();
  size_t want = cap == 0 ? BlockPool::kMaxBlock : cap < (16u << 20) ? 2 * cap : cap + cap / 4;
  return g->region.Reserve(want);
}

void GrowRead(const FunctionCallbackInfo<Value>& info) {
  Grow* g = info.Length() > 1 ? GrowOf(info[0]) : nullptr;
  if (g == nullptr || !info[1]->IsInt32()) {
    info.GetReturnValue().Set(-EINVAL);
    return;
  }
  int fd = info[1].As<v8::Int32>()->Value();
  int r = MakeRoom(g);
  if (r != 0) {
    info.GetReturnValue().Set(r);
    return;
  }
  uint8_t* base = g->block.data != nullptr ? g->block.data : g->region.data();
  size_t room = (g->block.data != nullptr ? BlockPool::SizeOf(g->block.cls) : g->region.cap()) - g->len;
  // One call: EINTR goes back to lib/posix's retry point, as for every read.
  ssize_t k = ::read(fd, base + g->len, room);
  if (k < 0) {
    info.GetReturnValue().Set(-errno);
    return;
  }
  g->len += static_cast<size_t>(k);
  info.GetReturnValue().Set(static_cast<double>(k));
}

void GrowTake(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  EnvPool* env = Of(info);
  Grow* g = info.Length() > 0 ? GrowOf(info[0]) : nullptr;
  if (g == nullptr) return;
  size_t len = g->len;
  g->len = 0;
  Local<v8::ArrayBuffer> ab;
  if (g->block.data != nullptr) {
    Block b = g->block;
    g->block = Block{nullptr, -1};
    if (len > BlockPool::SizeOf(b.cls) / 2 || len == 0) {
      if (len == 0) {
        env->pool->Returned(b);
        ab = v8::ArrayBuffer::New(isolate, 0);
      } else {
        ab = LendBlock(isolate, env->pool, b, len);  // the handle's ref goes with it
      }
    } else {
      // As CPython shrinks its bytes object: a short result does not keep a
      // whole 64 KiB block alive.
      Block small = env->pool->Take(len);
      if (small.data != nullptr) {
        memcpy(small.data, b.data, len);
        env->pool->Lend();
        ab = LendBlock(isolate, env->pool, small, len);
      } else {
        ab = v8::ArrayBuffer::New(isolate, len);
        memcpy(ab->Data(), b.data, len);
      }
      env->pool->Returned(b);
    }
  } else if (len == 0) {
    g->region.Free();
    ab = v8::ArrayBuffer::New(isolate, 0);
  } else {
    g->region.len = len;
    uint8_t* data = g->region.Release();
    std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(data, len, OnRegionFree, nullptr);
    ab = v8::ArrayBuffer::New(isolate, std::move(store));
  }
  v8::Local<v8::Uint8Array> buf;
  if (node::Buffer::New(isolate, ab, 0, len).ToLocal(&buf)) info.GetReturnValue().Set(buf);
}

// ---- configuration and counters -----------------------------------------------

void ReadPoolConfigure(const FunctionCallbackInfo<Value>& info) {
  EnvPool* env = Of(info);
  if (info.Length() > 0 && info[0]->IsInt32()) env->pace_shift = info[0].As<v8::Int32>()->Value();
}

void ReadPoolStats(const FunctionCallbackInfo<Value>& info) {
  Isolate* isolate = info.GetIsolate();
  Local<v8::Context> ctx = isolate->GetCurrentContext();
  EnvPool* env = Of(info);
  Local<v8::Object> o = v8::Object::New(isolate);
  auto set = [&](const char* k, double d) {
    o->Set(ctx, v8::String::NewFromUtf8(isolate, k).ToLocalChecked(), v8::Number::New(isolate, d)).Check();
  };
  const BlockPool& blocks = env->pool->blocks();
  set("cap", static_cast<double>(blocks.cap()));
  set("mapped", static_cast<double>(blocks.mapped()));
  set("free", static_cast<double>(blocks.free_bytes()));
  set("lent", static_cast<double>(env->pool->lent()));
  set("taken", env->taken);
  set("fallbacks", env->fallbacks);
  set("paceShift", env->pace_shift);
  info.GetReturnValue().Set(o);
}

void Cleanup(void* arg) {
  EnvPool* env = static_cast<EnvPool*>(arg);
  env->pool->Close();
  delete env;
}

}  // namespace

void Register(Local<v8::Object> exports, Local<v8::Context> context) {
  Isolate* isolate = Isolate::GetCurrent();
  auto* env = new EnvPool{new SharedPool(kCap)};
  node::AddEnvironmentCleanupHook(isolate, Cleanup, env);
  Local<v8::External> data = NewExternal(isolate, env, 0);
  auto set = [&](const char* name, v8::FunctionCallback fn) {
    exports
        ->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(),
              v8::FunctionTemplate::New(isolate, fn, data)->GetFunction(context).ToLocalChecked())
        .Check();
  };
  set("readBuffer", ReadBuffer);
  set("readSlab", ReadSlab);
  set("growNew", GrowNew);
  set("growRead", GrowRead);
  set("growTake", GrowTake);
  set("readPoolConfigure", ReadPoolConfigure);
  set("readPoolStats", ReadPoolStats);
}

#else  // V8_ENABLE_SANDBOX

void Register(v8::Local<v8::Object>, v8::Local<v8::Context>) {}

#endif

}  // namespace pipefork_readpool
