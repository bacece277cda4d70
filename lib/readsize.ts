// One read(2) into a new Buffer, shared by os.read and FileIO.read, and how
// large that Buffer must be. CPython allocates n and shrinks the result; for a pipe or
// a regular file the addon says how much can come (FIONREAD, else the pipe's
// capacity), so os.read(fd, 1 << 20) on a 64 KiB pipe costs 64 KiB. Anything
// else (sockets, ttys, devices) gets all of n: a shorter read could cut a
// datagram.
import { Buffer, constants as bufferConstants } from 'node:buffer';
import * as posix from './posix/index.js';
import { newReadAllBuffer, newReadBuffer, newSlab, takeReadAll } from './readpool.js';

/** Up to this size, n itself is cheap enough to allocate. */
const DIRECT_READ = 65536;
/** Node cannot make a Buffer larger than this. */
const MAX_BUFFER = bufferConstants.MAX_LENGTH;

/** How large a Buffer one read(2) of n needs (os.read, FileIO.read and their twins). */
export function readSize(fd: number, n: number): number {
  if (n <= DIRECT_READ) return n;
  const hint = posix.readHint(fd);
  const size = hint < 0 ? n : Math.min(n, Math.max(hint, DIRECT_READ));
  return Math.min(size, MAX_BUFFER);
}

/** Reads of at most this many bytes land in the shared slab below. */
const SLAB_READ = 8192;
/**
 * The first slab is small, so that replacing it runs, and leaves V8 its type
 * feedback, before os.read is optimized: otherwise the first full slab
 * (8 192 reads of a byte in) deoptimizes os.read, measured with
 * --trace-deopt-verbose. io/buffered.ts does the same with its first arena.
 */
const FIRST_SLAB = 1024;
let slab = new ArrayBuffer(0);
let slabOff = 0;

/**
 * One read(2) of at most n bytes into a new Buffer (os.read). Small reads
 * land in a shared 64 KiB slab and come back as views of it, as
 * Buffer.allocUnsafe's pool does below 4 KiB: an ArrayBuffer of its own per
 * 4 KiB read costs more than the read (1 GiB through a pipe in 4 KiB reads:
 * 2.1 s with one each, 1.5 s from slabs). Larger reads get their own
 * Buffer, sized by readSize. Raises what read(2) raises (BlockingIOError
 * for EAGAIN).
 */
export function readNew(fd: number, n: number): Buffer {
  return readNewOr(fd, n, false) as Buffer;
}

/** readNew, with null where a non-blocking fd has nothing yet (FileIO.read's None). */
export function tryReadNew(fd: number, n: number): Buffer | null {
  return readNewOr(fd, n, true);
}

function readNewOr(fd: number, n: number, wouldBlock: boolean): Buffer | null {
  if (n <= SLAB_READ) {
    if (slabOff + n > slab.byteLength) {
      slab =
        slab.byteLength === 0 ? (Buffer.allocUnsafeSlow(Math.max(FIRST_SLAB, n)).buffer as ArrayBuffer) : newSlab();
      slabOff = 0;
    }
    const k = wouldBlock ? posix.tryReadAt(fd, slab, slabOff, n) : posix.readAt(fd, slab, slabOff, n);
    if (k < 0) return null;
    const out = Buffer.from(slab, slabOff, k);
    slabOff = (slabOff + k + 7) & ~7;
    return out;
  }
  const buf = ownReadBuffer(fd, n);
  const k = wouldBlock ? posix.tryRead(fd, buf) : posix.read(fd, buf);
  if (k < 0) return null;
  return shrink(buf, k);
}

/**
 * A Buffer of its own for one read of at most n bytes: sized by readSize,
 * from the read pool above the slab size. readNew's large reads take it, and
 * so do the awaitable reads at every size: a read that waits would hold its
 * slab space while other reads go on, so their small ones are
 * Buffer.allocUnsafe's.
 */
export function ownReadBuffer(fd: number, n: number): Buffer {
  const size = readSize(fd, n);
  return size > SLAB_READ ? newReadBuffer(size) : Buffer.allocUnsafe(size);
}

/**
 * readall(): read(2) until EOF, into one Buffer (FileIO.readall, and through
 * it BufferedReader.read() and communicate() on one pipe); null if a
 * non-blocking fd had nothing at all. With the per-ABI addon the bytes go
 * into one buffer that grows in place (lib/readpool.ts), as CPython's
 * readall grows one bytes object with realloc: 100 MiB from a pipe touches
 * each page once and copies nothing. Without it, chunks joined at the end.
 */
export function tryReadAll(fd: number): Buffer | null {
  // A regular file says how much is left, and is read in one call.
  const g = newReadAllBuffer(Math.max(posix.readHint(fd), 0));
  if (g === undefined) return tryReadAllChunks(fd);
  let total = 0;
  for (;;) {
    const k = posix.tryReadAllStep(fd, g);
    if (k < 0) {
      if (total === 0) return null;
      break;
    }
    if (k === 0) break;
    total += k;
  }
  return takeReadAll(g);
}

function tryReadAllChunks(fd: number): Buffer | null {
  const chunks: Buffer[] = [];
  let total = 0;
  let size = 65536;
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    const k = posix.tryRead(fd, buf);
    if (k < 0) {
      if (total === 0) return null;
      break;
    }
    if (k === 0) break;
    chunks.push(k === size ? buf : buf.subarray(0, k));
    total += k;
    if (k === size && size < 1 << 24) size *= 2;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/**
 * The first k bytes of a Buffer one read(2) filled. When much of it went
 * unused, a copy, so the caller does not keep the tail alive (CPython
 * shrinks its bytes object the same way).
 */
export function shrink(buf: Buffer, k: number): Buffer {
  if (k === buf.length) return buf;
  return k < buf.length >> 1 ? Buffer.from(buf.subarray(0, k)) : buf.subarray(0, k);
}
