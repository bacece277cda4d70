// CPython's exception family, built in one place. OSError picks its subclass
// from errno exactly as CPython's OSError.__new__ does, so
// `new OSError(2, 'No such file or directory')` is a FileNotFoundError.
import { Buffer } from 'node:buffer';
import { constants as osConstants } from 'node:os';
import { strerror as cStrerror } from './posix/constants.js';

const errnoNames: Record<number, string> = {};
for (const [name, value] of Object.entries(osConstants.errno)) errnoNames[value] ??= name;

/** The characters repr() escapes in a str: Python's non-printable categories (see pyRepr). */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/**
 * Python's repr() of a str or of bytes (a Uint8Array): single quotes unless
 * the text holds one and no double quote. A str keeps the characters
 * str.isprintable() accepts and escapes the rest (\xNN, \uNNNN,
 * \UNNNNNNNN); bytes keep printable ASCII and escape every other byte as
 * \xNN. Python's non-printable categories are Cc, Cf, Cs, Co, Cn, Zl, Zp and
 * Zs but ' ' (Node's Unicode tables may be a version newer than 3.11's).
 */
export function pyRepr(s: string | Uint8Array): string {
  const bytes = typeof s !== 'string';
  const text = bytes ? Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1') : s;
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (!bytes && c > 0x7f && !HIDDEN.test(ch)) out += ch;
    else out += escapeCodePoint(c);
  }
  return (bytes ? 'b' : '') + quote + out + quote;
}

/**
 * repr(float): the shortest digits that read back as the same number (what
 * JS prints too), in exponent form when the exponent is below -4 or at
 * least 16, as Python writes it: 1e-05, 0.0001, 1e+16, 1.0, nan, inf.
 */
function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', expText = ''] = x.toExponential().split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, '0')}.${digits.slice(exp + 1) || '0'}`;
}

/**
 * str() of a JS number as Python would print it. JS cannot tell 1 from 1.0:
 * a safe integer prints as a Python int ('1'), anything else as a float
 * ('0.5', '1e-05', '1e+16').
 */
function pyNumStr(v: number): string {
  return Number.isSafeInteger(v) ? String(v) : pyFloatRepr(v);
}

/**
 * Python's repr() of the JS values that stand for Python ones: str and bytes
 * (pyRepr), None, bools, ints and floats (pyNumStr), lists, dicts (Map or a
 * plain object), and anything with its own repr() (a signal.Signals member).
 */
export function pyValueRepr(v: unknown): string {
  if (typeof v === 'string' || v instanceof Uint8Array) return pyRepr(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return pyNumStr(v);
  if (Array.isArray(v)) return `[${v.map(pyValueRepr).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyValueRepr(k)}: ${pyValueRepr(x)}`).join(', ')}}`;
  if (typeof v === 'object') {
    const own = (v as { repr?: unknown }).repr;
    if (typeof own === 'function') return String(own.call(v));
    if ([Object.prototype, null].includes(Object.getPrototypeOf(v))) {
      return `{${Object.entries(v)
        .map(([k, x]) => `${pyValueRepr(k)}: ${pyValueRepr(x)}`)
        .join(', ')}}`;
    }
  }
  return String(v);
}

/** str(v) as "%s" formats it: a str as it is, anything else (True, bytes, a list) as its repr. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyValueRepr(v);
}

export type Filename = string | Buffer | number | null;

export class OSError extends Error {
  errno: number | null = null;
  strerror: string | null = null;
  filename: Filename = null;
  filename2: Filename = null;
  /** Node's name for errno (`'EBADF'`), for code written the Node way. */
  code: string | undefined;
  /** The syscall that failed, when pipefork raised the error. */
  syscall: string | undefined;
  args: unknown[] = [];

  /**
   * Python's signature: OSError(errno, strerror, filename?, winerror?, filename2?).
   * With an errno that CPython maps to a subclass, constructing OSError
   * returns an instance of that subclass.
   */
  constructor(...args: unknown[]) {
    super();
    if (new.target === OSError && args.length >= 2 && typeof args[0] === 'number') {
      const sub = errnoClass(args[0]);
      if (sub !== OSError) {
        // biome-ignore lint/correctness/noConstructorReturn: mirrors OSError.__new__ picking a subclass
        return Reflect.construct(sub, args) as OSError;
      }
    }
    this.args = args.length >= 2 && args.length <= 5 ? args.slice(0, 2) : args;
    if (args.length >= 2 && args.length <= 5) {
      // CPython stores whatever came first, a number or not.
      this.errno = (args[0] ?? null) as number | null;
      this.strerror = args[1] === undefined ? null : pyStr(args[1]);
      if (args.length >= 3) this.filename = (args[2] ?? null) as Filename;
      if (args.length >= 5) this.filename2 = (args[4] ?? null) as Filename;
      if (typeof this.errno === 'number') this.code = errnoNames[this.errno];
      let msg = `[Errno ${pyStr(args[0])}] ${pyStr(args[1])}`;
      if (this.filename !== null) {
        msg += `: ${pyValueRepr(this.filename)}`;
        if (this.filename2 !== null) msg += ` -> ${pyValueRepr(this.filename2)}`;
      }
      this.message = msg;
    } else {
      this.message =
        args.length === 1 ? pyStr(args[0]) : args.length === 0 ? '' : `(${args.map(pyValueRepr).join(', ')})`;
    }
  }
}

export class BlockingIOError extends OSError {
  /** Bytes written before EAGAIN; set only by buffered writers, as in CPython. */
  declare characters_written?: number;
}
export class ChildProcessError extends OSError {}
export class ConnectionError extends OSError {}
export class BrokenPipeError extends ConnectionError {}
export class ConnectionAbortedError extends ConnectionError {}
export class ConnectionRefusedError extends ConnectionError {}
export class ConnectionResetError extends ConnectionError {}
export class FileExistsError extends OSError {}
export class FileNotFoundError extends OSError {}
export class InterruptedError extends OSError {}
export class IsADirectoryError extends OSError {}
export class NotADirectoryError extends OSError {}
export class PermissionError extends OSError {}
export class ProcessLookupError extends OSError {}
export class TimeoutError extends OSError {}

const E = osConstants.errno;
const byErrno = new Map<number, typeof OSError>([
  [E.EAGAIN, BlockingIOError],
  [E.EALREADY, BlockingIOError],
  [E.EINPROGRESS, BlockingIOError],
  [E.EWOULDBLOCK, BlockingIOError],
  [E.ECHILD, ChildProcessError],
  [E.EPIPE, BrokenPipeError],
  [E.ECONNABORTED, ConnectionAbortedError],
  [E.ECONNREFUSED, ConnectionRefusedError],
  [E.ECONNRESET, ConnectionResetError],
  [E.EEXIST, FileExistsError],
  [E.ENOENT, FileNotFoundError],
  [E.EINTR, InterruptedError],
  [E.EISDIR, IsADirectoryError],
  [E.ENOTDIR, NotADirectoryError],
  [E.EACCES, PermissionError],
  [E.EPERM, PermissionError],
  [E.ESRCH, ProcessLookupError],
  [E.ETIMEDOUT, TimeoutError],
]);
// Node's errno table has no ESHUTDOWN; CPython maps it to BrokenPipeError too.
const ESHUTDOWN =
  (E as Record<string, number | undefined>).ESHUTDOWN ??
  (process.platform === 'linux' ? 108 : process.platform === 'darwin' ? 58 : undefined);
if (ESHUTDOWN !== undefined) byErrno.set(ESHUTDOWN, BrokenPipeError);

function errnoClass(errno: number): typeof OSError {
  return byErrno.get(errno) ?? OSError;
}

/** The C library's text for errno, as Python's os.strerror gives it. */
export function strerror(errno: number): string {
  return cStrerror(errno);
}

/** The error for a failed syscall: the right OSError subclass, with Node's code and syscall. */
export function oserror(errno: number, syscall: string, filename?: Filename, filename2?: Filename): OSError {
  const args: unknown[] = [errno, strerror(errno)];
  if (filename !== undefined && filename !== null) {
    args.push(filename);
    if (filename2 !== undefined && filename2 !== null) args.push(null, filename2);
  }
  const err = new OSError(...args);
  err.syscall = syscall;
  return err;
}

export class ValueError extends Error {}
export class OverflowError extends Error {}
export class MemoryError extends Error {}
export class EOFError extends Error {}
export class SubprocessError extends Error {}

/** Python's UnicodeError (a ValueError): what a 'utf-16' stream without a BOM raises; the kind of the two below. */
export class UnicodeError extends ValueError {}

export class UnicodeDecodeError extends UnicodeError {
  constructor(
    readonly encoding: string,
    readonly object: Buffer,
    readonly start: number,
    readonly end: number,
    readonly reason: string,
  ) {
    const what =
      end - start === 1
        ? `byte 0x${(object[start] ?? 0).toString(16).padStart(2, '0')} in position ${start}`
        : `bytes in position ${start}-${end - 1}`;
    super(`'${encoding}' codec can't decode ${what}: ${reason}`);
  }
}

/** start and end count code points, as Python's str indexes do. */
export class UnicodeEncodeError extends UnicodeError {
  constructor(
    readonly encoding: string,
    readonly object: string,
    readonly start: number,
    readonly end: number,
    readonly reason: string,
  ) {
    super(
      end - start === 1
        ? `'${encoding}' codec can't encode character '${charEscape(object, start)}' in position ${start}: ${reason}`
        : `'${encoding}' codec can't encode characters in position ${start}-${end - 1}: ${reason}`,
    );
  }
}

/** The escape of the code point at code-point index i (Python's message shows it so). */
function charEscape(s: string, i: number): string {
  return escapeCodePoint(Array.from(s)[i]?.codePointAt(0) ?? 0);
}

/** Python's \xNN / \uNNNN / \UNNNNNNNN escape of one code point, as repr() and codec errors write it. */
function escapeCodePoint(c: number): string {
  if (c <= 0xff) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c <= 0xffff) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\U${c.toString(16).padStart(8, '0')}`;
}

/** Python's LookupError: an unknown encoding or error handler. */
export class LookupError extends Error {}
/** Python's KeyError (a LookupError): its message is the repr of the key, as str(KeyError('k')) is "'k'". */
export class KeyError extends LookupError {
  constructor(key?: unknown) {
    super(key === undefined ? '' : pyValueRepr(key));
  }
}
/** Python's IndexError (a LookupError there too): an index out of range. */
export class IndexError extends LookupError {}
/** Python's SystemError: CPython's own internal error, which struct.unpack('0p') raises. */
export class SystemError extends Error {}

/**
 * io.UnsupportedOperation is both an OSError and a ValueError in CPython.
 * JS has single inheritance, so it extends OSError and ValueError's
 * instanceof check is widened to accept it.
 */
export class UnsupportedOperation extends OSError {}

const plainHasInstance = Function.prototype[Symbol.hasInstance];
Object.defineProperty(ValueError, Symbol.hasInstance, {
  value(this: unknown, v: unknown): boolean {
    if (plainHasInstance.call(this, v)) return true;
    return this === ValueError && plainHasInstance.call(UnsupportedOperation, v);
  },
});

// Python's class names show in stacks and in String(err).
for (const cls of [
  OSError,
  BlockingIOError,
  ChildProcessError,
  ConnectionError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileExistsError,
  FileNotFoundError,
  InterruptedError,
  IsADirectoryError,
  NotADirectoryError,
  PermissionError,
  ProcessLookupError,
  TimeoutError,
  ValueError,
  OverflowError,
  MemoryError,
  EOFError,
  KeyError,
  SubprocessError,
  UnicodeError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  LookupError,
  IndexError,
  SystemError,
  UnsupportedOperation,
]) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true });
}
