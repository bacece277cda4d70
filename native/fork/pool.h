// The memory of fresh read results (os.read, FileIO.read, BufferedReader.read,
// readall): a bounded pool of recycled blocks, and the growing region readall
// reads into. Knows nothing of Node or V8: readpool.cc lends the blocks out
// as ArrayBuffers and gives them back here when V8 frees their memory.
//
// Why a pool (BENCHMARKS.md, "Fresh read results (issue 17)"): a fresh 64 KiB
// Buffer per read costs up to 3x refilling one. V8 frees backing stores a
// whole GC period at a time on its sweeper thread; glibc then trims the top of
// its heap, so the next period's Buffers fault page by page (~3 us per 4 KiB
// page on a VM); and the memory is cold by then. A pool's blocks stay mapped,
// so they never fault again, and they come back inside the GC that frees them.
#pragma once

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace pipefork_pool {

// A block of one of the size classes 4, 8, 16, 32 and 64 KiB.
struct Block {
  uint8_t* data;
  int cls;
};

// The blocks of one thread (a Node environment's JS thread): carved from
// 2 MiB chunks that are mapped on demand, up to a cap, and unmapped only
// with the pool.
class BlockPool {
 public:
  static constexpr int kClasses = 5;
  static constexpr size_t kMinBlock = 4096;
  static constexpr size_t kMaxBlock = kMinBlock << (kClasses - 1);
  static constexpr size_t kChunk = 2u << 20;

  explicit BlockPool(size_t cap) : cap_(cap) {}
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;
  ~BlockPool() {
    for (uint8_t* c : chunks_) munmap(c, kChunk);
  }

  static int ClassOf(size_t n) {
    int c = 0;
    while ((kMinBlock << c) < n) c++;
    return c;
  }
  static size_t SizeOf(int cls) { return kMinBlock << cls; }

  // A free block of n <= kMaxBlock bytes: the smallest class that holds n,
  // else a free block of a larger class; {nullptr} if none is free.
  Block TakeFree(size_t n) {
    for (int c = ClassOf(n); c < kClasses; c++) {
      if (!free_[c].empty()) {
        uint8_t* p = free_[c].back();
        free_[c].pop_back();
        return {p, c};
      }
    }
    return {nullptr, -1};
  }

  // A new block for n bytes; {nullptr} once the cap is reached.
  Block TakeNew(size_t n) {
    int c = ClassOf(n);
    uint8_t* p = Carve(SizeOf(c));
    return p ? Block{p, c} : Block{nullptr, -1};
  }

  void Give(Block b) { free_[b.cls].push_back(b.data); }

  size_t mapped() const { return chunks_.size() * kChunk; }
  size_t cap() const { return cap_; }
  size_t free_bytes() const {
    size_t s = 0;
    for (int c = 0; c < kClasses; c++) s += free_[c].size() * SizeOf(c);
    return s;
  }

 private:
  uint8_t* Carve(size_t size) {
    if (cur_ + size > end_) {
      if (mapped() + kChunk > cap_) return nullptr;
      void* m = mmap(nullptr, kChunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (m == MAP_FAILED) return nullptr;
      chunks_.push_back(static_cast<uint8_t*>(m));
      cur_ = static_cast<uint8_t*>(m);
      end_ = cur_ + kChunk;
      // What is left of the previous chunk is dropped: less than one 64 KiB
      // block, since block sizes are powers of two that divide the chunk.
    }
    uint8_t* p = cur_;
    cur_ += size;
    return p;
  }

  size_t cap_;
  uint8_t* cur_ = nullptr;
  uint8_t* end_ = nullptr;
  std::vector<uint8_t*> chunks_;
  std::vector<uint8_t*> free_[kClasses];
};

// Blocks given back from any thread: V8 frees a backing store on whichever
// thread drops it, mostly its concurrent sweeper, and another isolate's when
// the memory was transferred there. Producers push with a CAS; the one
// consumer (the JS thread) takes the whole list at once, which keeps this
// stack free of the ABA problem. The link lives in the freed block itself.
class ReturnQueue {
 public:
  void Push(Block b) {
    Node* n = reinterpret_cast<Node*>(b.data);
    n->cls = b.cls;
    Node* old = head_.load(std::memory_order_relaxed);
    do {
      n->next = old;
    } while (!head_.compare_exchange_weak(old, n, std::memory_order_release, std::memory_order_relaxed));
  }

  // Hands every queued block to give(); returns how many.
  template <typename F>
  size_t Drain(F give) {
    Node* n = head_.exchange(nullptr, std::memory_order_acquire);
    size_t k = 0;
    for (; n != nullptr; k++) {
      Node* next = n->next;
      give(Block{reinterpret_cast<uint8_t*>(n), n->cls});
      n = next;
    }
    return k;
  }

 private:
  struct Node {
    Node* next;
    int cls;
  };
  std::atomic<Node*> head_{nullptr};
};

// The pool of one environment, shared with the threads that free its blocks.
// It lives until its environment is gone and every block it lent has come
// back: one reference for the environment, one per block lent. Lent memory
// can outlive the environment (transferred to another thread by
// postMessage), so the last of them deletes the pool, on whatever thread.
class SharedPool {
 public:
  explicit SharedPool(size_t cap) : blocks_(cap) {}

  // A block for n <= kMaxBlock bytes (JS thread): a free one, else one a GC
  // has given back since, else new memory up to the cap; {nullptr} past it.
  Block Take(size_t n) {
    Block b = blocks_.TakeFree(n);
    if (b.data != nullptr) return b;
    returned_.Drain([this](Block r) { blocks_.Give(r); });
    b = blocks_.TakeFree(n);
    return b.data != nullptr ? b : blocks_.TakeNew(n);
  }

  // A block taken and never lent goes straight back (JS thread).
  void Give(Block b) { blocks_.Give(b); }

  // Before a block is handed to V8 (JS thread).
  void Lend() { refs_.fetch_add(1, std::memory_order_relaxed); }

  // V8 has freed a lent block's memory (any thread).
  void Returned(Block b) {
    returned_.Push(b);
    Unref();
  }

  // The environment is gone (its JS thread, at cleanup).
  void Close() { Unref(); }

  size_t lent() const { return refs_.load(std::memory_order_relaxed) - 1; }
  const BlockPool& blocks() const { return blocks_; }

  // V8 tells the deleter one pointer: the pool, with the block's class in
  // its low bits (the pool is at least 8-byte aligned; classes are 0-4).
  void* Tag(int cls) {
    return reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(this) | static_cast<uintptr_t>(cls));
  }
  static SharedPool* Untag(void* tag, int* cls) {
    uintptr_t t = reinterpret_cast<uintptr_t>(tag);
    *cls = static_cast<int>(t & 7);
    return reinterpret_cast<SharedPool*>(t & ~static_cast<uintptr_t>(7));
  }

 private:
  void Unref() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  BlockPool blocks_;
  ReturnQueue returned_;
  std::atomic<size_t> refs_{1};
};

// readall's buffer: mapped memory grown with mremap(2), as CPython's readall
// grows one bytes object with realloc (glibc moves a large chunk's pages
// with mremap): no byte is copied and no page touched twice, however large
// the result.
class Region {
 public:
  static size_t PageUp(size_t n) {
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    return (n + page - 1) & ~(page - 1);
  }

  // Room for at least `need` bytes in all; holds the `len` bytes already
  // there. 0 or -errno.
  int Reserve(size_t need) {
    if (need <= cap_) return 0;
    size_t to = PageUp(need);
    void* m = data_ == nullptr ? mmap(nullptr, to, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                               : mremap(data_, cap_, to, MREMAP_MAYMOVE);
    if (m == MAP_FAILED) return -errno;
    data_ = static_cast<uint8_t*>(m);
    cap_ = to;
    return 0;
  }

  // Gives up the pages past len (the result keeps the rest) and hands the
  // mapping over: the caller unmaps PageUp(len) bytes at the pointer when done.
  uint8_t* Release() {
    uint8_t* d = data_;
    size_t keep = PageUp(len);
    if (keep < cap_) munmap(d + keep, cap_ - keep);
    data_ = nullptr;
    cap_ = 0;
    len = 0;
    return d;
  }

  void Free() {
    if (data_ != nullptr) munmap(data_, cap_);
    data_ = nullptr;
    cap_ = len = 0;
  }

  uint8_t* data() const { return data_; }
  size_t cap() const { return cap_; }
  size_t len = 0;

 private:
  uint8_t* data_ = nullptr;
  size_t cap_ = 0;
};

}  // namespace pipefork_pool
