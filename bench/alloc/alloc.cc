// Prototype allocators for read results (issue 17), measured by
// bench/alloc/harness.ts. Not part of pipefork's addon: the implementation
// will port the winner into native/ once the syscall layer has one home.
//
// Every allocator here makes "a new Buffer holding what one read(2) got":
// with fd >= 0 it reads from fd; with fd < 0 it copies n bytes from a hot
// static source instead (the allocate+fill micro loop). Each returns the
// Buffer, or a number: 0 at EOF, -errno on failure.
//
//   napiNew      napi_create_buffer (V8's allocator, as Buffer.allocUnsafe)
//   poolWeak     a block of the pool, lent as an external Buffer; recycled
//                when a weak napi_ref to its ArrayBuffer is found cleared
//                (stable Node-API, every line)
//   poolFin      the same, recycled by a basic finalizer that Node-API runs
//                inside the GC (built only with NAPI_EXPERIMENTAL)
//   poolExtFin   the same, recycled by napi_create_external_buffer's own
//                finalizer (Node defers it to setImmediate)
//   slab         a 64 KiB pool block as an external ArrayBuffer, for JS to
//                cut small results from (weak-ref recycling, as poolWeak)
#ifdef ALLOC_EXPERIMENTAL
#define NAPI_EXPERIMENTAL
#endif
#include <errno.h>
#include <malloc.h>
#include <node_api.h>
#include <string.h>
#include <unistd.h>

#include <vector>

#include "pool.h"

namespace alloc {
namespace {

// Where the micro loop's bytes come from: one hot 64 KiB source.
uint8_t src[BlockPool::kMaxBlock];

size_t g_cap = 64u << 20;
bool g_huge = false;
BlockPool* g_pool = nullptr;

BlockPool& Pool() {
  if (!g_pool) g_pool = new BlockPool(g_cap, g_huge);
  return *g_pool;
}

struct Counters {
  double fallback = 0;     // requests the pool could not serve (at its cap)
  double scans = 0;        // weak-ref scans of the lent list
  double reclaimed = 0;    // blocks given back by scans or finalizers
  double finalized = 0;    // finalizer calls
  double fin_in_call = 0;  // finalizer calls that ran while a binding call was on the stack
} g_count;
int g_depth = 0;  // binding calls on the stack (finalizers inside GC see 1)

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

// ---- weak-reference recycling ------------------------------------------------

struct Lent {
  napi_ref ref;
  BlockPool::Block block;
};
std::vector<Lent> g_lent;
// A weak reference to an object that nothing else holds: cleared by the
// first GC after it is made, so a scan of g_lent only runs when a GC may have
// cleared something since the last one.
napi_ref g_canary = nullptr;

void Reclaim(napi_env env) {
  if (g_canary) {
    napi_value v = nullptr;
    napi_get_reference_value(env, g_canary, &v);
    if (v) return;  // no GC since the last scan
    napi_delete_reference(env, g_canary);
    g_canary = nullptr;
  }
  g_count.scans++;
  for (size_t i = 0; i < g_lent.size();) {
    napi_value v = nullptr;
    napi_get_reference_value(env, g_lent[i].ref, &v);
    if (v) {
      i++;
      continue;
    }
    napi_delete_reference(env, g_lent[i].ref);
    Pool().Give(g_lent[i].block);
    g_count.reclaimed++;
    g_lent[i] = g_lent.back();
    g_lent.pop_back();
  }
  napi_value o;
  napi_create_object(env, &o);
  napi_create_reference(env, o, 0, &g_canary);
}

// A block for n bytes: recycled if a GC has freed one, else new memory up to
// the cap; {nullptr} past it.
BlockPool::Block TakeWeak(napi_env env, size_t n) {
  BlockPool& pool = Pool();
  BlockPool::Block b = pool.TakeFree(n);
  if (b.data) return b;
  Reclaim(env);
  b = pool.TakeFree(n);
  return b.data ? b : pool.TakeNew(n);
}

// ---- finalizer recycling -------------------------------------------------------

#ifdef ALLOC_EXPERIMENTAL
void OnDead(node_api_basic_env, void* data, void* hint) {
  g_count.finalized++;
  if (g_depth > 0) g_count.fin_in_call++;
  g_count.reclaimed++;
  Pool().Give({static_cast<uint8_t*>(data), static_cast<int>(reinterpret_cast<intptr_t>(hint))});
}
#endif

void OnDeadDeferred(node_api_basic_env, void* data, void* hint) {
  g_count.finalized++;
  if (g_depth > 0) g_count.fin_in_call++;
  g_count.reclaimed++;
  Pool().Give({static_cast<uint8_t*>(data), static_cast<int>(reinterpret_cast<intptr_t>(hint))});
}

// ---- argument helpers ------------------------------------------------------------

struct Depth {
  Depth() { g_depth++; }
  ~Depth() { g_depth--; }
};

bool Args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  return napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) == napi_ok && argc >= want;
}

int32_t Int(napi_env env, napi_value v) {
  int32_t i = 0;
  napi_get_value_int32(env, v, &i);
  return i;
}

napi_value Num(napi_env env, double d) {
  napi_value v;
  napi_create_double(env, d, &v);
  return v;
}

// (fd, n) with 0 < n <= 64 KiB; false otherwise.
bool FdAndSize(napi_env env, napi_callback_info info, int* fd, size_t* n) {
  napi_value argv[2];
  if (!Args(env, info, 2, argv)) return false;
  *fd = Int(env, argv[0]);
  int32_t k = Int(env, argv[1]);
  if (k <= 0 || static_cast<size_t>(k) > BlockPool::kMaxBlock) return false;
  *n = static_cast<size_t>(k);
  return true;
}

// ---- the allocators ------------------------------------------------------------

napi_value NapiNew(napi_env env, napi_callback_info info) {
  int fd;
  size_t n;
  if (!FdAndSize(env, info, &fd, &n)) return nullptr;
  void* data;
  napi_value buf;
  if (napi_create_buffer(env, n, &data, &buf) != napi_ok) return nullptr;
  ssize_t k = Fill(fd, static_cast<uint8_t*>(data), n);
  if (k <= 0) return Num(env, static_cast<double>(k));
  if (static_cast<size_t>(k) == n) return buf;
  napi_value out;  // short read: copy out the head (rare in the benches)
  napi_create_buffer_copy(env, k, data, nullptr, &out);
  return out;
}

// A pool block filled by Fill and lent as an external Buffer of exactly the
// bytes read; how it comes back depends on Recycle.
enum class Recycle { kWeak, kFinalizer, kExternalFinalizer, kFinalizerNudge };

// V8 runs a scavenge when it allocates an ArrayBuffer's memory itself and
// finds that young ArrayBuffers already hold twice the semi-space's size
// (Heap::AllocateExternalBackingStore). External backing stores never take
// that path: their bytes only count as external memory, which starts a full
// mark-compact at +64 MiB. A tiny V8-allocated ArrayBuffer now and then lets
// the young-generation check run for the pool's buffers too.
void Nudge(napi_env env) {
  static unsigned calls = 0;
  if (++calls % 64) return;
  void* data;
  napi_value ab;
  napi_create_arraybuffer(env, 1, &data, &ab);
}

template <Recycle kHow>
napi_value PoolNew(napi_env env, napi_callback_info info) {
  Depth depth;
  int fd;
  size_t n;
  if (!FdAndSize(env, info, &fd, &n)) return nullptr;
  if (kHow == Recycle::kFinalizerNudge) Nudge(env);
  BlockPool::Block b = kHow == Recycle::kWeak ? TakeWeak(env, n) : Pool().Take(n);
  if (!b.data) {
    g_count.fallback++;
    return NapiNew(env, info);
  }
  ssize_t k = Fill(fd, b.data, n);
  if (k <= 0) {
    Pool().Give(b);
    return Num(env, static_cast<double>(k));
  }
  void* hint = reinterpret_cast<void*>(static_cast<intptr_t>(b.cls));
  napi_value buf, ab;
  napi_status s = kHow == Recycle::kExternalFinalizer
                      ? napi_create_external_buffer(env, static_cast<size_t>(k), b.data, OnDeadDeferred, hint, &buf)
                      : napi_create_external_buffer(env, static_cast<size_t>(k), b.data, nullptr, nullptr, &buf);
  if (s != napi_ok) {  // no external buffers (a V8 sandbox): copy instead
    Pool().Give(b);
    napi_value out;
    napi_create_buffer_copy(env, k, b.data, nullptr, &out);
    return out;
  }
  if (kHow == Recycle::kExternalFinalizer) return buf;
  napi_get_typedarray_info(env, buf, nullptr, nullptr, nullptr, &ab, nullptr);
  if (kHow == Recycle::kWeak) {
    napi_ref ref;
    napi_create_reference(env, ab, 0, &ref);
    g_lent.push_back({ref, b});
  }
#ifdef ALLOC_EXPERIMENTAL
  if (kHow == Recycle::kFinalizer || kHow == Recycle::kFinalizerNudge)
    napi_add_finalizer(env, ab, b.data, OnDead, hint, nullptr);
#endif
  return buf;
}

// slab(): a 64 KiB pool block as an external ArrayBuffer (weak-ref recycled);
// JS cuts small read results out of it with Buffer.from(ab, off, k).
napi_value Slab(napi_env env, napi_callback_info) {
  BlockPool::Block b = TakeWeak(env, BlockPool::kMaxBlock);
  napi_value ab;
  if (!b.data) {
    g_count.fallback++;
    void* data;
    napi_create_arraybuffer(env, BlockPool::kMaxBlock, &data, &ab);
    return ab;
  }
  if (napi_create_external_arraybuffer(env, b.data, BlockPool::kMaxBlock, nullptr, nullptr, &ab) != napi_ok) {
    Pool().Give(b);
    void* data;
    napi_create_arraybuffer(env, BlockPool::kMaxBlock, &data, &ab);
    return ab;
  }
  napi_ref ref;
  napi_create_reference(env, ab, 0, &ref);
  g_lent.push_back({ref, b});
  return ab;
}

#ifdef ALLOC_EXPERIMENTAL
// slabFin(): the same, recycled by a basic finalizer run inside the GC.
napi_value SlabFin(napi_env env, napi_callback_info) {
  Depth depth;
  BlockPool::Block b = Pool().Take(BlockPool::kMaxBlock);
  napi_value ab;
  if (b.data && napi_create_external_arraybuffer(env, b.data, BlockPool::kMaxBlock, nullptr, nullptr, &ab) == napi_ok) {
    napi_add_finalizer(env, ab, b.data, OnDead, reinterpret_cast<void*>(static_cast<intptr_t>(b.cls)), nullptr);
    return ab;
  }
  if (b.data) Pool().Give(b);
  g_count.fallback++;
  void* data;
  napi_create_arraybuffer(env, BlockPool::kMaxBlock, &data, &ab);
  return ab;
}
#endif

// mallopt(trimThreshold, mmapThreshold): what a few lines in the addon would
// do (process-wide: every malloc user in the process is affected). Setting
// either turns off glibc's dynamic mmap threshold, so mmapThreshold > 0 sets
// that one too (to what the dynamic rule would reach, at most 32 MiB).
napi_value Mallopt(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!Args(env, info, 2, argv)) return nullptr;
  int ok = mallopt(M_TRIM_THRESHOLD, Int(env, argv[0]));
  int32_t mmap_threshold = Int(env, argv[1]);
  if (mmap_threshold > 0) ok &= mallopt(M_MMAP_THRESHOLD, mmap_threshold);
  return Num(env, ok);
}

// mallinfo(): glibc's view of its arenas (all of them, summed).
napi_value MallInfo(napi_env env, napi_callback_info) {
  struct mallinfo2 m = mallinfo2();
  napi_value o;
  napi_create_object(env, &o);
  auto set = [&](const char* k, double d) { napi_set_named_property(env, o, k, Num(env, d)); };
  set("arena", static_cast<double>(m.arena));        // brk heap of the main arena
  set("hblkhd", static_cast<double>(m.hblkhd));      // mmapped chunks
  set("uordblks", static_cast<double>(m.uordblks));  // in use
  set("fordblks", static_cast<double>(m.fordblks));  // free
  set("keepcost", static_cast<double>(m.keepcost));  // free at the top (trimmable)
  return o;
}

// fill(u8): copy the hot source into all of u8 (the micro loop's "read").
napi_value FillU8(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!Args(env, info, 1, argv)) return nullptr;
  void* data;
  size_t len;
  napi_typedarray_type t;
  if (napi_get_typedarray_info(env, argv[0], &t, &len, &data, nullptr, nullptr) != napi_ok) return nullptr;
  memcpy(data, src, len < sizeof src ? len : sizeof src);
  return Num(env, static_cast<double>(len));
}

// readAt(fd, ab, off, len): read(2) into a range of an ArrayBuffer, as
// pipefork's addon does; fd < 0 copies the hot source instead.
napi_value ReadAt(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!Args(env, info, 4, argv)) return nullptr;
  void* data;
  size_t len;
  if (napi_get_arraybuffer_info(env, argv[1], &data, &len) != napi_ok) return nullptr;
  int32_t off = Int(env, argv[2]), n = Int(env, argv[3]);
  if (off < 0 || n < 0 || static_cast<size_t>(off) + n > len) return nullptr;
  return Num(env, static_cast<double>(Fill(Int(env, argv[0]), static_cast<uint8_t*>(data) + off, n)));
}

// addr(arrayBuffer): its data pointer, to check what shares memory.
napi_value Addr(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!Args(env, info, 1, argv)) return nullptr;
  void* data = nullptr;
  size_t len;
  napi_get_arraybuffer_info(env, argv[0], &data, &len);
  return Num(env, static_cast<double>(reinterpret_cast<uintptr_t>(data)));
}

// configure(capBytes, hugePages): before the first allocation.
napi_value Configure(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!Args(env, info, 2, argv)) return nullptr;
  g_cap = static_cast<size_t>(Int(env, argv[0]));
  bool huge = false;
  napi_get_value_bool(env, argv[1], &huge);
  g_huge = huge;
  // A fresh pool and counters; blocks still lent from the old pool stay
  // mapped (leaked) so that nothing alive points into freed memory.
  for (Lent& l : g_lent) napi_delete_reference(env, l.ref);
  g_lent.clear();
  g_pool = nullptr;
  g_count = Counters();
  return nullptr;
}

napi_value Stats(napi_env env, napi_callback_info) {
  napi_value o;
  napi_create_object(env, &o);
  auto set = [&](const char* k, double d) { napi_set_named_property(env, o, k, Num(env, d)); };
  set("mapped", static_cast<double>(Pool().mapped()));
  set("free", static_cast<double>(Pool().free_bytes()));
  set("lent", static_cast<double>(g_lent.size()));
  set("fallback", g_count.fallback);
  set("scans", g_count.scans);
  set("reclaimed", g_count.reclaimed);
  set("finalized", g_count.finalized);
  set("finInCall", g_count.fin_in_call);
  return o;
}

napi_value Init(napi_env env, napi_value exports) {
  memset(src, 'x', sizeof src);
  struct {
    const char* name;
    napi_callback cb;
  } fns[] = {
      {"napiNew", NapiNew},
      {"poolWeak", PoolNew<Recycle::kWeak>},
#ifdef ALLOC_EXPERIMENTAL
      {"poolFin", PoolNew<Recycle::kFinalizer>},
      {"poolFinNudge", PoolNew<Recycle::kFinalizerNudge>},
#endif
      {"poolExtFin", PoolNew<Recycle::kExternalFinalizer>},
      {"slab", Slab},
#ifdef ALLOC_EXPERIMENTAL
      {"slabFin", SlabFin},
#endif
      {"mallopt", Mallopt},
      {"mallinfo", MallInfo},
      {"fill", FillU8},
      {"readAt", ReadAt},
      {"addr", Addr},
      {"configure", Configure},
      {"stats", Stats},
  };
  for (auto& f : fns) {
    napi_value fn;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.cb, nullptr, &fn);
    napi_set_named_property(env, exports, f.name, fn);
  }
  napi_value v;
  napi_get_boolean(env,
#ifdef ALLOC_EXPERIMENTAL
                   true,
#else
                   false,
#endif
                   &v);
  napi_set_named_property(env, exports, "experimental", v);
  return exports;
}

}  // namespace
}  // namespace alloc

NAPI_MODULE(NODE_GYP_MODULE_NAME, alloc::Init)
