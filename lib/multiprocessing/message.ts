// One multiprocessing message taken from the wire a piece at a time, for
// Connection's awaitable twins (recvAsync and friends): the header and the
// payload are read with reads that never wait, and what they took is kept
// here between them. An aborted twin leaves its Incoming on the Connection,
// and the next receive, awaitable or blocking, carries on from the next
// byte: the peer's stream is never read into the middle of a message.
//
// The bytes are read exactly as CPython's _recv_bytes reads them: the '!i'
// header, then '!Q' if it said -1, then the payload, never a byte beyond
// the message; EOF at the start of one of those reads is EOFError, inside
// one "got end of file during message".
import { Buffer, constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import { EOFError, MemoryError, OSError, OverflowError } from '../errors.js';
import type { Attempt } from '../posix/nowait.js';

/** Up to this size a payload's Buffer is allocated at once; beyond, it grows as the bytes arrive. */
export const DIRECT_RECV = 64 * 1024 * 1024;
// The largest payload a receive will wait for (blocking or awaited). CPython's os.read asks
// malloc for the whole declared size, and Linux's default overcommit refuses
// one allocation beyond the machine's memory (measured: os.read(fd, 2**34)
// works on a 24 GiB machine, 2**35 is MemoryError). Buffer's own limit is
// 4 GiB on Node 20 but 2**53 - 1 on Node 22 and later, so on its own it would
// give a different error on different lines.
export const MAX_BUFFER = Math.min(bufferConstants.MAX_LENGTH, totalmem());

/** What a receive has taken of one message so far. */
export class Incoming {
  readonly head = new Uint8Array(12);
  /** 4 for '!i'; 12 once it said -1 and '!Q' follows. */
  headLen = 4;
  headGot = 0;
  /** The declared size, once the header is whole (validated, allocated). */
  size = -1;
  body: Buffer | null = null;
  got = 0;
}

/** The declared size in a whole header: a number below 2**53, else a BigInt. */
function declared(inc: Incoming): number | bigint {
  const view = new DataView(inc.head.buffer);
  if (inc.headLen === 4) return view.getInt32(0);
  const big = view.getBigUint64(4);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * The payload's size made usable, with the blocking recv's errors: a size
 * no C ssize_t holds is OverflowError, one no Buffer holds MemoryError, a
 * negative one is nothing (CPython's _recv reads nothing for it).
 */
function usableSize(size: number | bigint): number {
  if (typeof size === 'bigint') {
    if (size >= 2n ** 63n) throw new OverflowError('Python int too large to convert to C ssize_t');
    throw new MemoryError();
  }
  if (size <= 0) return 0;
  if (size > MAX_BUFFER) throw new MemoryError();
  return size;
}

function endOfFile(segmentGot: number): Error {
  return segmentGot === 0 ? new EOFError() : new OSError('got end of file during message');
}

/**
 * Reads on with `attempt` (a read that never waits: -EAGAIN when it would,
 * else a count, 0 at EOF): the whole message's payload, or null when the
 * next read would wait (everything taken so far is in inc). `check` sees
 * the declared size once the header is whole, before any of the payload
 * is read (recv_bytes' maxlength): it throws to refuse the message.
 * Throws EOFError or OSError at EOF, as the blocking recv does.
 */
export function receiveStep(inc: Incoming, attempt: Attempt, check: (size: number | bigint) => void): Buffer | null {
  while (inc.headGot < inc.headLen) {
    const k = attempt(inc.head.subarray(inc.headGot, inc.headLen));
    if (k < 0) return null;
    // The '!Q' is a read of its own in CPython: EOF at its start is EOFError.
    if (k === 0) throw endOfFile(inc.headLen === 12 ? inc.headGot - 4 : inc.headGot);
    inc.headGot += k;
    if (inc.headGot === 4 && inc.headLen === 4 && new DataView(inc.head.buffer).getInt32(0) === -1) inc.headLen = 12;
  }
  if (inc.body === null) {
    const size = declared(inc);
    check(size);
    inc.size = usableSize(size);
    inc.body = Buffer.allocUnsafe(Math.min(inc.size, DIRECT_RECV));
  }
  while (inc.got < inc.size) {
    let body: Buffer = inc.body;
    if (inc.got === body.length) {
      // Beyond 64 MiB the buffer grows with the bytes that come, so a lying header costs no more than what is sent.
      const grown = Buffer.allocUnsafe(Math.min(inc.size, body.length * 2));
      body.copy(grown, 0, 0, inc.got);
      inc.body = body = grown;
    }
    const k = attempt(body.subarray(inc.got));
    if (k < 0) return null;
    if (k === 0) throw endOfFile(inc.got);
    inc.got += k;
  }
  return inc.body;
}

/**
 * The pieces one message goes out in: header and payload in one piece up
 * to 16 KiB (as CPython's _send_bytes writes them, bpo-20540), else the
 * header ('!i', or '!i' -1 and '!Q' beyond 2 GiB - 1) and the payload.
 * The header is a fresh buffer: the awaitable send may wait with it.
 */
export function framePieces(view: Uint8Array): Uint8Array[] {
  const n = view.length;
  if (n <= 16384) {
    const piece = new Uint8Array(4 + n);
    new DataView(piece.buffer).setInt32(0, n);
    piece.set(view, 4);
    return [piece];
  }
  if (n > 0x7fffffff) {
    const head = new Uint8Array(12);
    const dv = new DataView(head.buffer);
    dv.setInt32(0, -1);
    dv.setBigUint64(4, BigInt(n));
    return [head, view];
  }
  const head = new Uint8Array(4);
  new DataView(head.buffer).setInt32(0, n);
  return [head, view];
}

/** Where an awaitable send is: pieces[i] is written up to off. */
export interface Outgoing {
  pieces: Uint8Array[];
  i: number;
  off: number;
}

/** Writes on with `attempt` until every piece is out (true), or null when the next write would wait. */
export function sendStep(out: Outgoing, attempt: Attempt): true | null {
  while (out.i < out.pieces.length) {
    const piece = out.pieces[out.i] as Uint8Array;
    if (out.off >= piece.length) {
      out.i++;
      out.off = 0;
      continue;
    }
    const k = attempt(out.off === 0 ? piece : piece.subarray(out.off));
    if (k < 0) return null;
    out.off += k;
  }
  return true;
}

/** The bytes of out not written yet, copied (the caller's buffer is the caller's again once the send settles). */
export function unsentRest(out: Outgoing): Uint8Array {
  const rest: Uint8Array[] = [];
  for (let i = out.i; i < out.pieces.length; i++) {
    const piece = out.pieces[i] as Uint8Array;
    rest.push(i === out.i ? piece.subarray(out.off) : piece);
  }
  return Buffer.concat(rest);
}
