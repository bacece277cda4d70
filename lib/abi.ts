// The per-ABI addon (native/fork/): the part of pipefork that needs Node's,
// V8's and libuv's C++ API, which change with every Node major, so it is
// built once per NODE_MODULE_VERSION (scripts/build.js) and only the file
// tagged with the running Node's is ever loaded. It carries os.fork()
// (native/fork/fork.cc, used by lib/fork.ts) and the memory of fresh read
// results (native/fork/readpool.cc, used by lib/readpool.ts). This file is
// the one place that finds and loads it.
//
// It is loaded when pipefork is imported, in every environment (the main
// thread and each Worker): a fork later needs no fd (loading a shared
// library takes one, and a process out of fds must still be able to fork,
// as in CPython), and the read allocator is there from the first read.
// Importing pipefork never needs it: a failure is kept, os.fork() throws it,
// and reads fall back to ordinary Buffers.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { oserror } from './errors.js';
import { root } from './native.js';

/** What the last fork in this process cost (milliseconds) and what it had to make inheritable. */
export interface ForkStats {
  /** MADV_DONTFORK mappings made inheritable for the child (V8's heap and code). */
  ranges: number;
  bytes: number;
  /** V8 platform workers parked across fork(). */
  parked: number;
  /** 1 when the platform's worker-queue mutex was found and held across fork(). */
  queueLocked: number;
  /** 1 when /proc/self/smaps was read: the mappings had changed since the last fork. */
  scanned: number;
  parkMs: number;
  /** Finding the DONTFORK ranges: /proc/self/maps compared with the last fork's, smaps read if it differs. */
  scanMs: number;
  /** MADV_DOFORK on them. */
  doforkMs: number;
  forkMs: number;
  /** MADV_DONTFORK again and the signal mask restored. */
  restoreMs: number;
  /**
   * In the forked child (its own lastForkStats()): uv_loop_fork() and the rest
   * of the native setup; its forkMs is from the parent's fork() call to the
   * child running. 0 in the parent.
   */
  childSetupMs: number;
  /** Waking the parked workers. */
  unparkMs: number;
}

/**
 * V8's worker threads in a forked child (native/fork/workers.h): the
 * parent's are gone, so the child's V8 posts its background jobs
 * (optimizing compiles, concurrent GC work) to a pool of pipefork's threads.
 */
export interface ChildWorkerStats {
  /** 1 when this process's V8 worker posts go to the pool (a forked child). */
  hooked: number;
  /** 1 when this process's children can have the pool (known after its first fork). */
  ready: number;
  /** Why posts do not go to the pool, when hooked is 0. */
  reason: string;
  /** Pool threads started, and tasks they started running, in this process. */
  threads: number;
  tasks: number;
}

/** The per-ABI addon's surface: -errno on failure. */
export interface AbiNative {
  // os.fork() (native/fork/fork.cc).
  /**
   * childWorkers: whether the child gets threads for V8's background jobs.
   * null: V8's workers did not all park within a short slice, nothing was
   * forked; JavaScript must run before the next call (lib/fork.ts).
   */
  fork(childWorkers: boolean): number | null;
  lastForkStats(): ForkStats;
  childWorkerStats(): ChildWorkerStats;
  simulateChildWorkersMismatch(kind: string): boolean;
  dontforkRanges(): [number, number] | number;
  writeAll(fd: number, data: Uint8Array): number;
  getrandom(data: Uint8Array): number;
  defaultSignals(signals: Int32Array): void;
  moduleVersion: number;

  // Fresh read results (native/fork/readpool.cc); absent where V8 has its
  // sandbox, which refuses memory it did not allocate.
  /** n bytes (1 to 64 KiB, uninitialized) over a pool block; an ordinary Buffer past the pool's cap. */
  readBuffer?(n: number): Buffer;
  /** A 64 KiB ArrayBuffer over a pool block, for small results to be cut from. */
  readSlab?(): ArrayBuffer;
  /** readall's buffer; hint is what the fd says is left to read (0: unknown). */
  growNew?(hint: number): ReadAllBuffer;
  /** One read(2) into it: the count, 0 at EOF, or -errno (-EINTR and -EAGAIN included). */
  growRead?(g: ReadAllBuffer, fd: number): number;
  /** Everything read into it, as one Buffer; the buffer is then empty. */
  growTake?(g: ReadAllBuffer): Buffer;
  readPoolConfigure?(paceShift: number): void;
  readPoolStats?(): ReadPoolStats;
}

/** readall's growing buffer: opaque, freed by the GC if never taken. */
export type ReadAllBuffer = ArrayBuffer & { readonly __readAllBuffer: unique symbol };

/** The read pool of this environment, for benchmarks and tests. */
export interface ReadPoolStats {
  /** The most the pool maps, in bytes. */
  cap: number;
  /** Bytes mapped (in 2 MiB chunks). */
  mapped: number;
  /** Bytes in blocks ready to lend (not counting those V8 has freed since the last take). */
  free: number;
  /** Blocks lent to V8 whose memory V8 has not freed yet. */
  lent: number;
  /** Results and slabs from the pool, and those made the ordinary way because it was at its cap. */
  taken: number;
  fallbacks: number;
  /** Young-generation pacing (lib/readpool.ts): n >> paceShift array slots per n-byte result; 0 when off. */
  paceShift: number;
}

/**
 * Node majors whose internals the fork stress has passed on (package.json
 * "pipefork.nodeMajors"; docs/fork.md, "Supported platforms and Node
 * versions"; docs/install.md): V8's MADV_DONTFORK heap,
 * NumberOfWorkerThreads() counting the scheduler thread, libuv's private wq
 * fields, cppgc's process mutex.
 */
const VALIDATED_NODE_MAJORS: number[] = (
  createRequire(import.meta.url)(join(root, 'package.json')) as { pipefork: { nodeMajors: number[] } }
).pipefork.nodeMajors;

/**
 * Where the per-ABI addon for the running Node is: one file per
 * NODE_MODULE_VERSION, and only the one with this Node's tag is ever
 * loaded: a Node 26 build must not meet Node 22.
 */
export function abiAddonPath(): string {
  return join(
    root,
    'native',
    'fork',
    'prebuilds',
    `${process.platform}-${process.arch}`,
    `node.abi${process.versions.modules}.node`,
  );
}

let addon: AbiNative | undefined;
let loadError: Error | undefined;

/**
 * Why the addon cannot be had here, or undefined; loads it when it can. The
 * messages are os.fork()'s: it is the one caller that reports them.
 */
function load(): Error | undefined {
  if (process.platform !== 'linux') {
    return new Error(`os.fork() is supported on Linux with glibc only, not on ${process.platform}`);
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (!VALIDATED_NODE_MAJORS.includes(major) && process.env.PIPEFORK_UNVALIDATED_FORK !== '1') {
    return new Error(
      `os.fork() has been validated on Node ${VALIDATED_NODE_MAJORS.join(', ')} only, not on ${process.version}: ` +
        'it depends on Node, V8 and libuv internals (docs/fork.md in the pipefork package). Set PIPEFORK_UNVALIDATED_FORK=1 to try anyway, ' +
        'and run the fork stress tests first',
    );
  }
  const file = abiAddonPath();
  if (!existsSync(file)) {
    return new Error(
      `os.fork() needs pipefork's fork addon built for this Node (${process.version}, NODE_MODULE_VERSION ` +
        `${process.versions.modules}, ${process.platform}-${process.arch}), and the package has none: ` +
        'build it with `npm install-scripts approve pipefork` (npm 11 and later) then `npm rebuild pipefork` ' +
        '(needs python3, make and a C++ compiler; docs/install.md). Everything else in pipefork works without it',
    );
  }
  try {
    addon = createRequire(import.meta.url)(file) as AbiNative;
    return undefined;
  } catch (e) {
    // The file is there: say what really failed. dlopen(3) needs an fd, so
    // a process out of fds gets EMFILE here, not "not built".
    const message = (e as Error).message;
    const errno = /Too many open files/.test(message)
      ? osConstants.errno.EMFILE
      : /file table overflow|Too many open files in system/.test(message)
        ? osConstants.errno.ENFILE
        : 0;
    if (errno !== 0) return oserror(errno, 'dlopen', file);
    return new Error(`os.fork(): pipefork's fork addon ${file} did not load: ${message}`, { cause: e });
  }
}

/**
 * The addon, or the error saying why it is not here. EMFILE and ENFILE are
 * not kept: the next call tries again.
 */
export function abiAddon(): AbiNative {
  if (addon !== undefined) return addon;
  const err = loadError ?? load();
  if (addon !== undefined) return addon;
  const errno = (err as { errno?: number }).errno;
  loadError = errno === osConstants.errno.EMFILE || errno === osConstants.errno.ENFILE ? undefined : err;
  throw err;
}

/** The addon if it loaded, without trying again. */
export function loadedAbiAddon(): AbiNative | undefined {
  return addon;
}

loadError = load();
