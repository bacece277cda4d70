// os.fork(): the child keeps running this JavaScript, synchronously, until
// os._exit() or os.exec*(). What it may do was measured, not assumed
// (docs/fork.md). The native half (native/fork/fork.cc) forks; this
// file is the child's safety net, run before any of the caller's code.
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { type AbiNative, abiAddon, type ChildWorkerStats, type ForkStats } from './abi.js';
import { children, trackChild } from './children.js';
import { oserror } from './errors.js';
import { native } from './native.js';
import { afterForkChild as signalsAfterFork } from './signal_handlers.js';

export type { ChildWorkerStats, ForkStats } from './abi.js';

const RETURNED_TO_LOOP =
  'pipefork: forked child returned to the event loop; call os._exit() or os.exec*() in the child\n';
/** The exit code of a child stopped by pipefork (EX_SOFTWARE, as the prototype used). */
const CHILD_FAILED = 70;

/**
 * fork(): the child's pid in the parent, 0 in the child.
 * fork(childFn): runs childFn in the child and always _exits there: with
 * its return value (undefined: 0), or 70 after printing what it threw.
 * The child must end with os._exit() or os.exec*(); one that returns to the
 * event loop is stopped with a message on fd 2 and exit status 70.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a childFn without a return statement is typed void
export function fork(childFn?: () => number | undefined | void): number;
export function fork(...args: unknown[]): number {
  // pipefork's fork takes one optional argument (Python's takes none): a
  // second one is refused, not dropped.
  if (args.length > 1) throw new TypeError(`fork() takes at most 1 argument (${args.length} given)`);
  const childFn = args[0] as (() => unknown) | undefined;
  if (childFn !== undefined && typeof childFn !== 'function') {
    throw new TypeError('fork(childFn): childFn must be a function');
  }
  if (!isMainThread) throw new Error("os.fork() can only be called on Node's main thread, not in a worker_thread");
  const a = abiAddon();
  prepareCrypto();
  const pid = forkParked(a, process.env.PIPEFORK_FORK_WORKERS !== '0');
  if (pid < 0) throw oserror(-pid, 'fork');
  if (pid > 0) {
    trackChild(pid);
    return pid;
  }
  try {
    becomeChild(a);
  } catch (e) {
    die(a, `pipefork: the forked child could not be set up: ${inspect(e)}\n`);
  }
  if (childFn === undefined) {
    // These stop the child before it can run the parent's timers and I/O
    // callbacks (docs/fork.md, hazard 5): Node drains the nextTick queue before
    // it goes back to the loop, and setImmediate and 'beforeExit' are the
    // loop's own way back. Ticks queued before the fork run first. There is
    // deliberately no queueMicrotask guard: at an ES module's top level the
    // child's uncaught error travels through promise jobs, and a microtask
    // guard would report "returned to the event loop" instead of the error.
    // Promise jobs cannot reach the loop without passing the tick guard.
    const stop = (): never => die(a, RETURNED_TO_LOOP);
    process.nextTick(stop);
    setImmediate(stop);
    return 0;
  }
  let code: unknown;
  try {
    code = childFn();
  } catch (e) {
    die(a, `${inspect(e)}\n`);
  }
  if (code === undefined) native._exit(0);
  if (typeof code === 'number' && Number.isInteger(code)) native._exit(code);
  const what = code !== null && typeof (code as PromiseLike<unknown>).then === 'function' ? 'a Promise' : inspect(code);
  return die(
    a,
    `pipefork: os.fork(childFn): childFn returned ${what}; it must return an exit code (an integer) or ` +
      'undefined, and cannot wait for async work\n',
  );
}

// The child-side functions are parenthesized so that V8 compiles them
// eagerly, in the parent: otherwise every child compiles them again, on
// copy-on-write pages (about 0.4 ms a child). The formatter would drop the
// parentheses.
// biome-ignore format: V8 compiles a parenthesized function eagerly
const die = (function die(a: AbiNative, message: string): never {
  a.writeAll(2, Buffer.from(message));
  return native._exit(CHILD_FAILED);
});

/** The JS half of the child's setup (docs/fork.md, "What happens around the fork"). */
// biome-ignore format: V8 compiles a parenthesized function eagerly
const becomeChild = (function becomeChild(a: AbiNative): void {
  // Node reads the pid once at startup; process.ppid is a live getter.
  Object.defineProperty(process, 'pid', {
    value: native.getpid(),
    writable: false,
    enumerable: true,
    configurable: true,
  });
  // The parent's children are not the child's: its os.wait() must not look at them.
  children.clear();
  // The parent's 'exit' listeners ran inside every child (docs/fork.md, hazard 6);
  // a child's own listeners still run on process.exit(). (Counted first:
  // removeAllListeners runs code the parent never compiled.)
  if (process.listenerCount('exit') > 0) process.removeAllListeners('exit');
  if (process.listenerCount('beforeExit') > 0) process.removeAllListeners('beforeExit');
  process.exitCode = undefined;
  // process.exit() ends in reallyExit; the native exit handler covers the
  // C++ paths (fatal exceptions) as well.
  (process as unknown as { reallyExit(code?: number): never }).reallyExit = (code?: number) =>
    native._exit(typeof code === 'number' ? code : 0);
  // 'beforeExit' is only emitted when the loop ran dry: a child that got
  // there has returned to the event loop, whatever stopped the guards.
  const emit = process.emit;
  process.emit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]) {
    if (event === 'beforeExit') die(a, RETURNED_TO_LOOP);
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof process.emit;
  // The parent's JS signal listeners cannot run here: let those signals do
  // what they do by default (SIGTERM and SIGINT end the child).
  const listened: number[] = [];
  for (const [name, number] of Object.entries(osConstants.signals)) {
    if (process.listenerCount(name) > 0) listened.push(number);
  }
  if (listened.length > 0) a.defaultSignals(Int32Array.from(listened));
  signalsAfterFork();
  reseedRandom(a);
  syncStdio(a, 1, 'stdout');
  syncStdio(a, 2, 'stderr');
});

// Math.random's state lives in V8's native context with no API to reseed
// it, so a child would repeat the parent's numbers (docs/fork.md, hazard 8). The
// child's Math.random draws from getrandom(2) instead.
const POOL = 512;
let pool: Float64Array | undefined;
let words: Uint32Array | undefined;
let next = POOL;
let randomSource: AbiNative | undefined;

// biome-ignore format: V8 compiles a parenthesized function eagerly
const childRandom = (function childRandom(): number {
  if (next >= POOL) refillRandom();
  return (pool as Float64Array)[next++] as number;
});

// biome-ignore format: V8 compiles a parenthesized function eagerly
const refillRandom = (function refillRandom(): void {
  pool ??= new Float64Array(POOL);
  words ??= new Uint32Array(POOL * 2);
  const r = (randomSource as AbiNative).getrandom(new Uint8Array(words.buffer));
  if (r < 0) throw oserror(-r, 'getrandom');
  for (let i = 0; i < POOL; i++) {
    // 27 + 26 random bits: a uniform double in [0, 1) with 53 bits, as V8's.
    pool[i] = (((words[2 * i] as number) >>> 5) * 67108864 + ((words[2 * i + 1] as number) >>> 6)) / 9007199254740992;
  }
  next = 0;
});

// biome-ignore format: V8 compiles a parenthesized function eagerly
const reseedRandom = (function reseedRandom(a: AbiNative): void {
  randomSource = a;
  next = POOL; // a grandchild must not reuse its parent's pool either
  Math.random = childRandom;
  // OpenSSL itself reseeds after fork; crypto's caches are drained.
  if (crypto !== undefined) drainCryptoCaches(crypto);
});

/** node:crypto, once the parent has loaded its random module (see prepareCrypto). */
let crypto: typeof import('node:crypto') | undefined;

/**
 * In the parent, before a fork: randomUUID and randomInt serve from caches
 * filled in the parent, which the child drains, but only if the parent
 * loaded them. The first fork that finds them loaded takes node:crypto and
 * drains once here, so that every child runs the drain as code the parent
 * already compiled: in each child, compiling it and requiring node:crypto
 * took 1.2-1.4 ms of a 4-10 ms fork round trip (Node 20 and 24).
 */
function prepareCrypto(): void {
  if (crypto !== undefined) return;
  const loaded = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
  if (!loaded.includes('NativeModule internal/crypto/random')) return;
  crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  drainCryptoCaches(crypto);
}

// biome-ignore format: V8 compiles a parenthesized function eagerly
const drainCryptoCaches = (function drainCryptoCaches(c: typeof import('node:crypto')): void {
  // 128 UUIDs per cached batch: 128 calls pass index 0 once, which refills it.
  for (let i = 0; i < 128; i++) c.randomUUID();
  // 6 bytes per call from a 6 KiB cache: 1025 calls always cross a refill.
  for (let i = 0; i < 1025; i++) c.randomInt(0, 2 ** 48 - 1);
});

/**
 * A pipe on stdout or stderr is written by libuv asynchronously: whatever
 * does not fit in the pipe when the child _exits is lost (docs/fork.md, hazard 7), and
 * a write the parent had in flight makes the child's output wait for a
 * callback that never comes. In the child, writes to such a stream go
 * straight to the fd, waiting for the reader.
 */
// biome-ignore format: V8 compiles a parenthesized function eagerly
const syncStdio = (function syncStdio(a: AbiNative, fd: 1 | 2, name: 'stdout' | 'stderr'): void {
  // st_mode through the addon: lighter in the child than fs.fstatSync.
  const st = new Float64Array(16);
  if (native.fstat(fd, st) < 0) return;
  const type = (st[0] as number) & 0o170000;
  if (type !== 0o010000 && type !== 0o140000) return; // neither FIFO nor socket
  const write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    const data =
      typeof chunk === 'string'
        ? Buffer.from(chunk, (encoding as BufferEncoding | undefined) ?? 'utf8')
        : (chunk as Uint8Array);
    const r = a.writeAll(fd, data);
    const err = r < 0 ? oserror(-r, 'write') : null;
    if (typeof cb === 'function') cb(err);
    else if (err) throw err;
    return err === null;
  };
  // A blocking pipe has no libuv stream on it yet (libuv makes it
  // non-blocking), and creating one here would make the parent's shared file
  // description non-blocking too: give the child a stream of its own, made
  // on first use, so that a child that never writes to it pays nothing.
  if (native.getBlocking(fd) === 1) {
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: true,
      get() {
        const stream = new Writable({
          write(chunk: Uint8Array, _encoding, cb) {
            const r = a.writeAll(fd, chunk);
            cb(r < 0 ? oserror(-r, 'write') : null);
          },
        });
        Object.assign(stream, { fd, isTTY: false, write });
        Object.defineProperty(process, name, { value: stream, configurable: true, enumerable: true, writable: true });
        return stream;
      },
    });
    return;
  }
  process[name].write = write as typeof process.stdout.write;
});

/** How long os.fork() tries to park V8's worker threads before it refuses. */
const PARK_DEADLINE_MS = 10_000;
/** Native fork calls the last os.fork() made (1 when the workers parked at once). */
let lastAttempts = 0;

/**
 * The native fork, called again while V8's worker threads do not all park
 * (it gives up after a 20 ms slice, native/fork/fork.cc). A worker may be
 * waiting for this thread, to run a GC its allocation asked for: V8 serves
 * that request at an interrupt check, which JavaScript makes on a loop's
 * back edge, so each attempt starts from this loop, never from native code.
 */
function forkParked(a: AbiNative, childWorkers: boolean): number {
  const deadline = performance.now() + PARK_DEADLINE_MS;
  for (lastAttempts = 1; ; lastAttempts++) {
    const pid = a.fork(childWorkers);
    if (pid !== null) return pid;
    if (performance.now() > deadline) {
      throw new Error("os.fork(): V8's worker threads stayed busy for 10 s, so fork() was not attempted; try again");
    }
  }
}

/** What the last os.fork() in this process cost; for benchmarks and tests (not part of os). */
export function lastForkStats(): ForkStats & { attempts: number } {
  return { ...abiAddon().lastForkStats(), attempts: lastAttempts };
}

/** Whether V8's background jobs run in this forked child, and how many ran; for tests and benchmarks (not part of os). */
export function childWorkerStats(): ChildWorkerStats {
  return abiAddon().childWorkerStats();
}

/**
 * For tests of the fallback: the next os.fork() finds V8's platform other
 * than expected ('symbol': no NodePlatform vtable; 'slot': its worker-post
 * methods one slot off; 'name': their mangled names differ), as on a Node
 * line this build does not know, so children keep the platform as it is;
 * '' checks for real again. false in a child whose posts already go to the pool.
 */
export function simulateChildWorkersMismatch(kind: '' | 'symbol' | 'slot' | 'name'): boolean {
  return abiAddon().simulateChildWorkersMismatch(kind);
}

/** [count, bytes] of MADV_DONTFORK mappings now: whether this Node still keeps its heap from children. */
export function dontforkRanges(): [number, number] {
  const r = abiAddon().dontforkRanges();
  if (typeof r === 'number') throw oserror(-r, 'open');
  return r;
}
