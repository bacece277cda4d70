// What every io class shares: CPython's constants and its closed-file and
// unsupported-operation errors (finalize.ts has the finalizer and the
// exit-time flush).
import { constants as osConstants } from 'node:os';
import { arityError } from '../convert.js';
import { BlockingIOError, pyRepr, RuntimeError, UnsupportedOperation, ValueError } from '../errors.js';

export { UnsupportedOperation };

/** io.DEFAULT_BUFFER_SIZE: the buffer size when st_blksize says nothing useful. */
export const DEFAULT_BUFFER_SIZE = 8192;

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

export const EAGAIN = osConstants.errno.EAGAIN;
export const EINTR = osConstants.errno.EINTR;
export const ESPIPE = osConstants.errno.ESPIPE;

/** The raw layer's wording: FileIO says it without a full stop. */
export const CLOSED_RAW = 'I/O operation on closed file';
/** IOBase's and TextIOWrapper's wording, with the full stop. */
export const CLOSED_DOT = 'I/O operation on closed file.';

export function closedError(msg: string): ValueError {
  return new ValueError(msg);
}

export function unsupported(msg: string): UnsupportedOperation {
  return new UnsupportedOperation(msg);
}

/**
 * A blocking read (or write) method called while an awaitable read (or
 * write) is pending on the same object: CPython's wording for a call that
 * re-enters a buffered object, and what to do (docs/async.md, "Mixing").
 */
export function reentrant(self: object, what: 'read' | 'write'): RuntimeError {
  return new RuntimeError(
    `reentrant call inside ${String(self)}: an awaitable ${what} is pending on it; ` +
      'await it (or abort it) before a blocking call',
  );
}

/** The BlockingIOError a buffered writer raises, carrying how much it took (args and characters_written, as CPython's). */
export function blockingError(written: number): BlockingIOError {
  return new BlockingIOError(EAGAIN, 'write could not complete without blocking', written);
}

/** Python's repr() of a file's name: ints bare, strings quoted. */
export function nameRepr(name: unknown): string {
  if (typeof name === 'string') return `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (name instanceof Uint8Array) return pyRepr(name);
  return String(name);
}

/** seek() with no position: its clinic signature requires one (on a closed file too). */
export function seekArgsError(): TypeError {
  return new TypeError('seek expected at least 1 argument, got 0');
}

/**
 * What a wrapper holds after detach(): every use raises ValueError, as
 * CPython's CHECK_INITIALIZED does. Swapping the stream for this keeps the
 * check off the hot paths.
 */
export function detachedStream<T extends object>(message: string): T {
  return new Proxy({} as T, {
    get() {
      throw new ValueError(message);
    },
  });
}

/**
 * close() of a buffered or text object: flush, then close what lies below
 * even if the flush failed, and raise the flush's failure afterwards (as
 * CPython's _io close does).
 */
export function flushThenClose(flush: () => void, closeBelow: () => void): void {
  let failure: unknown;
  let failed = false;
  try {
    flush();
  } catch (e) {
    failed = true;
    failure = e;
  }
  closeBelow();
  if (failed) throw failure;
}

// IncrementalNewlineDecoder's record of the newline kinds seen (seennl), for
// TextIOWrapper and StringIO: LF | CR | CRLF bits, and the `newlines` value
// each combination reports.
export const LF = 1;
export const CR = 2;
export const CRLF = 4;
export const NEWLINES: readonly (string | string[] | null)[] = [
  null,
  '\n',
  '\r',
  ['\r', '\n'],
  '\r\n',
  ['\n', '\r\n'],
  ['\r', '\r\n'],
  ['\r', '\n', '\r\n'],
];

/** The newline kinds in s (a '\r\n' counts as CRLF, not as CR and LF). */
export function newlineKinds(s: string): number {
  if (s.indexOf('\r') < 0) return s.indexOf('\n') >= 0 ? LF : 0;
  const crlf = s.split('\r\n').length - 1;
  const cr = s.split('\r').length - 1 - crlf;
  const lf = s.split('\n').length - 1 - crlf;
  return (lf > 0 ? LF : 0) | (cr > 0 ? CR : 0) | (crlf > 0 ? CRLF : 0);
}

// Python str lengths over JS strings (UTF-16): used by text.ts and IOBase.readlines.
export const HIGH_SURROGATE = /[\ud800-\udbff]/;

export function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

export function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** len() of a Python str: a surrogate pair is one character. */
export function pyLen(s: string): number {
  if (!HIGH_SURROGATE.test(s)) return s.length;
  let n = s.length;
  for (let i = 0; i + 1 < s.length; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) {
      n--;
      i++;
    }
  }
  return n;
}

/**
 * CPython's TypeError for an io method given the wrong number of arguments
 * (JS would drop the extra ones: f.close(1) closed the file, f.write(a, b)
 * wrote a). No-argument methods and one-argument ones (write, readinto, ...)
 * name the class; the optional-argument ones (read, seek, ...) come from
 * Argument Clinic and do not.
 */
export function ioArgsError(self: object, method: string, max: number, got: number, exact = false): TypeError {
  if (max > 0 && !exact)
    return new TypeError(`${method} expected at most ${max} argument${max === 1 ? '' : 's'}, got ${got}`);
  // METH_NOARGS / METH_O wording, as convert.arityError words it for os.
  return arityError(`${self.constructor.name}.${method}`, max, got);
}
