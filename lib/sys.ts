// The pieces of Python's `sys` that IPC code reaches for: the interpreter and
// its arguments, the standard streams as CPython 3.11 makes them, and exit().
//
// sys.stdin, sys.stdout and sys.stderr are made on first use, never at
// import (a program that never uses them keeps fds 0-2 as Node left them).
// The rules for mixing them with Node's own console.log and
// process.stdout.write are in docs/sys.md: a Node write to fd 1 or 2 first
// flushes what sys.stdout or sys.stderr holds, and Node's stream on a pipe
// is made to write synchronously, so output reaches the fd in the order the
// program wrote it.
import { SystemExit, systemExitOutput } from './errors.js';
import type { BufferedWriter } from './io/buffered.js';
import type { FileIO } from './io/fileio.js';
import { open } from './io/open.js';
import { TextIOWrapper } from './io/text.js';

/** The interpreter running this program: `[sys.executable, script]` starts another like it. */
export const executable: string = process.execPath;
/** The script and its arguments, without the interpreter (Python's sys.argv). */
export const argv: string[] = process.argv.slice(1);
export const platform: string = process.platform;
export const byteorder: 'little' | 'big' = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';
/** The largest Py_ssize_t, 2**63 - 1: a BigInt, as every Python int beyond 2**53 is here. */
export const maxsize: bigint = 2n ** 63n - 1n;

/**
 * sys.exit(status=None): raises SystemExit. Uncaught, it ends the process
 * with Python's status rules: None is 0, an int is that status, anything
 * else is printed to stderr and the status is 1.
 */
export function exit(status?: unknown): never;
export function exit(...args: unknown[]): never {
  if (args.length > 1) throw new TypeError(`exit expected at most 1 argument, got ${args.length}`);
  throw args.length === 0 ? new SystemExit() : new SystemExit(args[0]);
}

// ---- the standard streams ----

type Fd = 0 | 1 | 2;
const NAMES = ['<stdin>', '<stdout>', '<stderr>'] as const;

/**
 * The errors handler of stdin and stdout: CPython picks surrogateescape
 * under the C or POSIX locale and the UTF-8 locales it coerces them to
 * (config_get_stdio_errors), strict under any other.
 */
function stdioErrors(): string {
  const env = process.env;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || 'C';
  return /^(C|POSIX|C\.UTF-?8|C\.utf-?8|UTF-8)$/.test(locale) ? 'surrogateescape' : 'strict';
}

/**
 * CPython's create_stdio: FileIO on the fd (closefd=False) named '<stdout>',
 * buffered as io.open buffers it, then a TextIOWrapper in UTF-8 with newline
 * '\n'. Line buffering on a terminal, and always for stderr; stderr's errors
 * are backslashreplace. PYTHONUNBUFFERED (CPython's -u) leaves stdout and
 * stderr without a buffer and writes through.
 */
function createStdio(fd: Fd): TextIOWrapper {
  const writing = fd !== 0;
  const unbuffered = (process.env.PYTHONUNBUFFERED ?? '') !== '';
  const buffer = open(fd, writing ? 'wb' : 'rb', unbuffered && writing ? 0 : -1, { closefd: false }) as
    | FileIO
    | BufferedWriter;
  const raw = ('raw' in buffer ? buffer.raw : buffer) as { name: unknown; isatty(): boolean };
  raw.name = NAMES[fd];
  const lineBuffering = !unbuffered && (fd === 2 || raw.isatty());
  const errors = fd === 2 ? 'backslashreplace' : stdioErrors();
  const text = new TextIOWrapper(buffer, 'utf-8', errors, '\n', lineBuffering, unbuffered);
  text.mode = writing ? 'w' : 'r';
  return text;
}

const made: (TextIOWrapper | undefined)[] = [];

/** The real stream behind sys.__stdin__/__stdout__/__stderr__, made on first use. */
function realStdio(fd: Fd): TextIOWrapper {
  let f = made[fd];
  if (f === undefined) {
    f = createStdio(fd);
    made[fd] = f;
    if (fd !== 0) orderWithNode(fd, f);
  }
  return f;
}

/**
 * Keeps one order of output on fd 1 (or 2) between sys.stdout and Node's
 * process.stdout (which console.log writes to). Node's stream gets a write()
 * that first flushes what sys.stdout holds. On a pipe Node writes
 * asynchronously once the pipe is full, and libuv has set the pipe
 * O_NONBLOCK: making the handle blocking (what Node does for terminals)
 * turns both back, so a write from either side is on the fd when it returns.
 */
function orderWithNode(fd: 1 | 2, f: TextIOWrapper): void {
  const stream = (fd === 1 ? process.stdout : process.stderr) as NodeJS.WriteStream & {
    _handle?: { setBlocking?(blocking: boolean): number };
  };
  stream._handle?.setBlocking?.(true);
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
    if (!f.closed) f.flush();
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof stream.write;
}

/**
 * A stand-in for a standard stream that makes it on first use: the object
 * sys.stdout starts as. It is a TextIOWrapper to instanceof, and every
 * property and method is the real stream's.
 */
function lazyStdio(fd: Fd): TextIOWrapper {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(Object.create(TextIOWrapper.prototype) as TextIOWrapper, {
    get(_t, key) {
      const real = realStdio(fd);
      const v = Reflect.get(real, key, real);
      if (typeof v !== 'function') return v;
      // One bound function per method, so sys.stdout.write === sys.stdout.write.
      let b = bound.get(key) as { fn: unknown; bound: unknown } | undefined;
      if (b === undefined || b.fn !== v) {
        b = { fn: v, bound: (v as (...a: unknown[]) => unknown).bind(real) };
        bound.set(key, b);
      }
      return b.bound;
    },
    set(_t, key, v) {
      const real = realStdio(fd);
      return Reflect.set(real, key, v, real);
    },
    has(_t, key) {
      return Reflect.has(realStdio(fd), key);
    },
  });
}

/** The streams the program started with, as Python's sys.__stdout__. */
export const __stdin__: TextIOWrapper = lazyStdio(0);
export const __stdout__: TextIOWrapper = lazyStdio(1);
export const __stderr__: TextIOWrapper = lazyStdio(2);

/** What a program may put in sys.stdout's place: a file object, or anything with write(). */
export interface Writer {
  write(s: string): unknown;
  flush?(): unknown;
}
/** What a program may put in sys.stdin's place. */
export interface Reader {
  readline(size?: number): string;
}

// Live bindings: `sys.stdout = ...` on the default export changes them, as
// assigning sys.stdout does in Python; print() and input() read them. They
// are typed as what they start as (a port calls sys.stdout.buffer.write),
// and take any writer (an io.StringIO, a Node stream) or null.
export let stdin: TextIOWrapper = __stdin__;
export let stdout: TextIOWrapper = __stdout__;
export let stderr: TextIOWrapper = __stderr__;

/** Whether a standard stream can be made: CPython sets sys.stdout to None when fd 1 is not open. */
export function _stdioValid(f: unknown): boolean {
  const fd = f === __stdin__ ? 0 : f === __stdout__ ? 1 : f === __stderr__ ? 2 : -1;
  if (fd < 0 || made[fd] !== undefined) return true;
  try {
    realStdio(fd as Fd);
    return true;
  } catch {
    return false;
  }
}

/** Whether f is one of the standard streams' stand-ins that has not been made yet. */
function unmade(f: unknown): boolean {
  const fd = f === __stdin__ ? 0 : f === __stdout__ ? 1 : f === __stderr__ ? 2 : -1;
  return fd >= 0 && made[fd] === undefined;
}

/**
 * multiprocessing's util._flush_std_streams(): flushes sys.stdout and
 * sys.stderr (whatever they are now) before a fork and at a forked child's
 * end, without making a stream that was never used. Errors are ignored, as
 * CPython ignores them there.
 */
export function _flushStdStreams(): void {
  for (const f of [stdout, stderr] as unknown[]) {
    if (f === null || f === undefined || unmade(f)) continue;
    try {
      (f as Writer).flush?.();
    } catch {
      // CPython: except (AttributeError, ValueError): pass
    }
  }
}

// An uncaught SystemExit prints its message to sys.stderr, as CPython does.
systemExitOutput.write = (text: string): void => {
  const f = stderr as TextIOWrapper | Writer | null;
  if (f === null || f === undefined || !_stdioValid(f)) return;
  f.write(text);
  f.flush?.();
};

/**
 * The module as one object, as Python code uses it: `sys.stdout = f` works
 * (the named exports are live bindings and follow it). `import { sys } from
 * 'pipefork'` or `import sys from 'pipefork/sys'`.
 */
const sys = {
  executable,
  argv,
  platform,
  byteorder,
  maxsize,
  exit,
  __stdin__,
  __stdout__,
  __stderr__,
  get stdin(): TextIOWrapper {
    return stdin;
  },
  set stdin(f: TextIOWrapper | Reader | null) {
    stdin = f as TextIOWrapper;
  },
  get stdout(): TextIOWrapper {
    return stdout;
  },
  set stdout(f: TextIOWrapper | Writer | null) {
    stdout = f as TextIOWrapper;
  },
  get stderr(): TextIOWrapper {
    return stderr;
  },
  set stderr(f: TextIOWrapper | Writer | null) {
    stderr = f as TextIOWrapper;
  },
};
export default sys;
