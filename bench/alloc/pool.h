// A bounded pool of recycled memory blocks for read results (issue 17).
// Knows nothing of Node: the binding (alloc.cc) lends blocks out as external
// ArrayBuffers and gives them back once V8 has collected their ArrayBuffer.
//
// Why: a fresh 64 KiB ArrayBuffer per read lands on memory that glibc has
// just handed back to the kernel (V8 frees backing stores on its sweeper
// thread in batches of one GC period, and the main arena's top is trimmed
// past M_TRIM_THRESHOLD), so the kernel's copy into it takes ~10 page faults
// of ~1.7 us each on these VMs. Blocks from this pool stay mapped for the life
// of the process: they are cold (one GC period of reads in rotation) but
// never fault again.
#pragma once

#include <sys/mman.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace alloc {

class BlockPool {
 public:
  // Size classes 4, 8, 16, 32 and 64 KiB: a request takes the smallest class
  // that holds it, or, when that class has no free block, a free block of a
  // larger class before new memory is carved.
  static constexpr int kClasses = 5;
  static constexpr size_t kMinBlock = 4096;
  static constexpr size_t kMaxBlock = kMinBlock << (kClasses - 1);
  // Memory comes from the kernel in chunks of this size, mapped once and never
  // unmapped; 2 MiB so that a transparent huge page can back a whole chunk.
  static constexpr size_t kChunk = 2u << 20;

  struct Block {
    uint8_t* data;
    int cls;
  };

  // cap: the most memory the pool maps; past it Take() fails and the caller
  // allocates the ordinary way. huge: ask for transparent huge pages.
  BlockPool(size_t cap, bool huge) : cap_(cap), huge_(huge) {}

  static int ClassOf(size_t n) {
    int c = 0;
    while ((kMinBlock << c) < n) c++;
    return c;
  }
  static size_t SizeOf(int cls) { return kMinBlock << cls; }

  // A free block of at least n <= kMaxBlock bytes, or {nullptr, -1}.
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

  // New memory for n bytes, or {nullptr, -1} at the cap.
  Block TakeNew(size_t n) {
    int c = ClassOf(n);
    uint8_t* p = Carve(SizeOf(c));
    return p ? Block{p, c} : Block{nullptr, -1};
  }

  Block Take(size_t n) {
    Block b = TakeFree(n);
    return b.data ? b : TakeNew(n);
  }

  void Give(Block b) { free_[b.cls].push_back(b.data); }

  size_t mapped() const { return mapped_; }
  size_t free_bytes() const {
    size_t s = 0;
    for (int c = 0; c < kClasses; c++) s += free_[c].size() * SizeOf(c);
    return s;
  }

 private:
  uint8_t* Carve(size_t size) {
    if (cur_ + size > end_) {
      if (mapped_ + kChunk > cap_) return nullptr;
      // 2 MiB-aligned, so that the chunk can be one huge page.
      void* m = mmap(nullptr, 2 * kChunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (m == MAP_FAILED) return nullptr;
      uintptr_t a = reinterpret_cast<uintptr_t>(m);
      uintptr_t aligned = (a + kChunk - 1) & ~(kChunk - 1);
      if (aligned > a) munmap(m, aligned - a);
      munmap(reinterpret_cast<void*>(aligned + kChunk), a + 2 * kChunk - aligned - kChunk);
      cur_ = reinterpret_cast<uint8_t*>(aligned);
      end_ = cur_ + kChunk;
      if (huge_) madvise(cur_, kChunk, MADV_HUGEPAGE);
      mapped_ += kChunk;
      // The tail of the previous chunk is dropped (at most one 64 KiB block's
      // worth, because sizes are powers of two that divide the chunk).
    }
    uint8_t* p = cur_;
    cur_ += size;
    return p;
  }

  size_t cap_;
  bool huge_;
  size_t mapped_ = 0;
  uint8_t* cur_ = nullptr;
  uint8_t* end_ = nullptr;
  std::vector<uint8_t*> free_[kClasses];
};

// Blocks given back from any thread: V8 calls a backing store's deleter on
// whichever thread frees it, mostly its concurrent sweeper. Producers push
// with a CAS; the one consumer (the JS thread) takes the whole list at once,
// which keeps this stack free of the ABA problem. The link lives in the
// freed block itself.
class ReturnQueue {
 public:
  void Push(BlockPool::Block b) {
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
    for (; n; k++) {
      Node* next = n->next;
      give(BlockPool::Block{reinterpret_cast<uint8_t*>(n), n->cls});
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

}  // namespace alloc
