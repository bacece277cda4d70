// Where the memory of fresh read results comes from (issue 17): every read
// that returns new bytes (os.read, FileIO.read and readall, the buffered
// classes' large reads, and the awaitable reads: os.readAsync,
// FileIO.readAsync, communicateAsync, the fd streams) takes its Buffer
// here, through lib/readsize.ts.
//
// With the per-ABI addon (lib/abi.ts, native/fork/readpool.cc), results of
// up to 64 KiB are ArrayBuffers over blocks of a bounded pool, recycled when
// V8 frees their memory, and readall grows one mapping in place. Without it
// (another platform, a Node line the addon is not built for, a V8 with its
// sandbox, PIPEFORK_READ_POOL=0) they are ordinary Buffers, as before: the
// same results, only slower (BENCHMARKS.md, "Fresh read results").
//
// Either way a result is a Buffer of its own: no later read reuses its memory
// while anything can still reach it, including an ArrayBuffer it was moved to
// (transfer(), a byte stream's enqueue(), postMessage), since a block comes
// back only when V8 frees the memory itself.
import { Buffer } from 'node:buffer';
import { type AbiNative, loadedAbiAddon, type ReadAllBuffer, type ReadPoolStats } from './abi.js';

type Pool = Required<Pick<AbiNative, 'readBuffer' | 'readSlab' | 'growNew' | 'growRead' | 'growTake'>> & AbiNative;

function usablePool(): Pool | undefined {
  // For tests and for comparing: the ordinary path, whatever is installed.
  if (process.env.PIPEFORK_READ_POOL === '0') return undefined;
  // A V8 with its sandbox only takes memory it allocated; the addon leaves
  // the functions out when built against such a V8 (Electron), and a build
  // that does not know must not be trusted with one.
  if ((process.config.variables as { v8_enable_sandbox?: unknown }).v8_enable_sandbox) return undefined;
  const a = loadedAbiAddon();
  if (a?.readBuffer === undefined || a.readPoolConfigure === undefined) return undefined;
  a.readPoolConfigure(PACE_SHIFT);
  // The exports object is in V8's dictionary mode (built by property sets):
  // a spread copy is a fast-mode object whose methods optimized code inlines.
  return { ...a } as Pool;
}

/**
 * Young-generation pacing. A 64 KiB result carries ~200 bytes of JS
 * objects, so a stream of results barely fills V8's young generation, and
 * what decides when the results are collected is V8's limit on external
 * memory: a full mark-compact every ~64 MiB on Node 24 (15 per GiB, each
 * marking the program's whole heap), and RSS ~90 MiB above the start on 26.
 * The addon therefore allocates, with each pooled result, a short-lived JS
 * array of n >> PACE_SHIFT slots (8 bytes each: as many bytes as the result
 * at 3), so that a scavenge finds the results dead and gives their blocks
 * back every ~50 results (~340 scavenges per GiB, each cheap when little
 * survives). The shorter the period, the fewer blocks go round and the
 * warmer the memory read(2) copies into. Measured on Node 20-26, 1 GiB of
 * 64 KiB reads (BENCHMARKS.md): shift 6 (an eighth) left Node 26 at its cap
 * with mark-compacts, and the pool at 33-48 MiB; 4 mapped 12-16 MiB; 3 maps
 * 4-6 MiB and took the least CPU; 2 makes 128 KiB arrays, which V8 puts in
 * its large-object space, and costs 20x. It steers V8's heuristics, not an
 * API, so it is re-measured on every new Node line. No V8 flag does this,
 * and a library may not set V8 flags: they are process-wide, and Node does
 * not support changing them once running.
 */
const PACE_SHIFT = 3;

const pool = usablePool();

/** Results up to this size come from the pool (0: no pool here). */
export const POOLED_MAX = pool === undefined ? 0 : 65536;

/** n > 0 uninitialized bytes for a read result: a pool block up to 64 KiB, else an ordinary Buffer. */
export function newReadBuffer(n: number): Buffer {
  return n <= POOLED_MAX ? (pool as Pool).readBuffer(n) : Buffer.allocUnsafe(n);
}

/** A 64 KiB ArrayBuffer that small results are cut from. */
export function newSlab(): ArrayBuffer {
  return pool === undefined ? (Buffer.allocUnsafeSlow(65536).buffer as ArrayBuffer) : pool.readSlab();
}

/**
 * readall's growing buffer, or undefined without the pool (the caller then
 * collects chunks). hint: what the fd says is left to read, 0 if unknown.
 */
export function newReadAllBuffer(hint: number): ReadAllBuffer | undefined {
  return pool?.growNew(hint);
}

/** One read(2) into readall's buffer: the count, 0 at EOF, -errno (-ENOMEM: it could not grow). */
export function readAllStep(g: ReadAllBuffer, fd: number): number {
  return (pool as Pool).growRead(g, fd);
}

/** Everything read into readall's buffer, as one Buffer. */
export function takeReadAll(g: ReadAllBuffer): Buffer {
  return (pool as Pool).growTake(g);
}

/** This environment's pool, for benchmarks and tests; undefined on the ordinary path. */
export function readPoolStats(): ReadPoolStats | undefined {
  return pool?.readPoolStats?.();
}

/** Pacing: n >> shift array slots per n-byte result, 0 for none; for benchmarks that measure it (not pipefork's API). */
export function setReadPacing(shift: number): void {
  pool?.readPoolConfigure?.(shift);
}
