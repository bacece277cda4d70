// CPython's exception family, built in one place. OSError picks its subclass
// from errno exactly as CPython's OSError.__new__ does, so
// `new OSError(2, 'No such file or directory')` is a FileNotFoundError.
import type { Buffer } from 'node:buffer';
import { writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { isDetached } from './detached.js';
import { strerror as cStrerror } from './posix/constants.js';
import { dieBySignal } from './posix/signals.js';
import { classOf, pyclass } from './pyclass.js';
import { escapeCodePoint, pyStr, pyTypeName, pyValueRepr } from './repr.js';
import { tuple } from './tuple.js';

// The repr() helpers lived here first; lib/ still imports them from errors.js.
export { pyRepr, pyStr, pyValueRepr } from './repr.js';

const errnoNames: Record<number, string> = {};
for (const [name, value] of Object.entries(osConstants.errno)) errnoNames[value] ??= name;

/**
 * The root of Python's exception tree. Its args are the constructor's
 * arguments and its message is str(e) as BaseException builds it: '' for
 * none, str() of one, the repr of the tuple of several.
 * `catch (e)` in JS catches everything, as `except BaseException:` does;
 * `e instanceof BaseException` is true of every JS Error too.
 */
class BaseException extends Error {
  /** The arguments it was made with, as Python's BaseException.args. */
  declare args: unknown[];

  constructor(...args: unknown[]) {
    super();
    this.args = args;
    // With no arguments the message stays Error.prototype's '' (subclasses
    // such as subprocess's errors compute theirs in a getter there).
    if (args.length > 0) this.message = args.length === 1 ? pyStr(args[0]) : pyValueRepr(tuple(args.slice()));
  }
}

/**
 * The base of every exception a program is expected to catch, as in Python:
 * `except Exception:` does not catch SystemExit or KeyboardInterrupt.
 * `e instanceof Exception` is true of the JS errors pipefork raises where
 * Python raises TypeError (JS's own TypeError) and of any other JS Error
 * that is not a BaseException-only class.
 */
class Exception extends BaseException {}

/** Python's RuntimeError, and the two CPython derives from it. */
class RuntimeError extends Exception {}
class NotImplementedError extends RuntimeError {}
class RecursionError extends RuntimeError {}
/** Python's BufferError: io.BytesIO refuses to resize while a getbuffer() view is held. */
class BufferError extends Exception {}

/**
 * What SIGINT raises in Python (with signal.default_int_handler installed);
 * a BaseException, so `except Exception:` lets it through. Uncaught, it
 * ends the process as CPython does: a traceback on stderr, then killed by
 * SIGINT (exit status 130 in a shell).
 */
class KeyboardInterrupt extends BaseException {
  constructor(...args: unknown[]) {
    super(...args);
    watchSystemExit();
  }
}

/**
 * What sys.exit() raises. Uncaught, it ends the process with Python's exit
 * status rules (exitStatus) instead of Node's report of an uncaught error.
 */
class SystemExit extends BaseException {
  /** None for SystemExit(), the argument for one, the tuple of several: Python's SystemExit.code. */
  code: unknown;

  constructor(...args: unknown[]) {
    super(...args);
    this.code = args.length === 0 ? null : args.length === 1 ? args[0] : tuple(args.slice());
    watchSystemExit();
  }
}

/**
 * Where an uncaught SystemExit's message goes: fd 2, until lib/sys.ts makes
 * sys.stderr and points this at it (so the message follows what sys.stderr
 * still holds, as in CPython).
 */
export const systemExitOutput = {
  write(text: string): void {
    writeSync(2, text);
  },
};

/**
 * The exit status an uncaught SystemExit gives, as CPython's
 * _Py_HandleSystemExit: None is 0; an int is that int (a C long, so one
 * beyond 64 bits is -1; the system keeps the low 8 bits); anything else is
 * printed to stderr and the status is 1.
 */
export function exitStatus(code: unknown): { status: number; message: string | null } {
  if (code === null || code === undefined) return { status: 0, message: null };
  let n: bigint | undefined;
  if (typeof code === 'boolean') n = code ? 1n : 0n;
  else if (typeof code === 'bigint') n = code;
  else if (typeof code === 'number' && Number.isInteger(code)) n = BigInt(code);
  if (n === undefined) return { status: 1, message: pyStr(code) };
  if (n >= 2n ** 63n || n < -(2n ** 63n)) n = -1n;
  return { status: Number(BigInt.asUintN(8, n)), message: null };
}

let watching = false;

/**
 * An uncaught KeyboardInterrupt as CPython reports it: "Traceback (most
 * recent call last):", the stack (JavaScript's frames), then
 * "KeyboardInterrupt" and its message.
 */
function keyboardInterruptReport(err: Error): string {
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .map((l) => `  ${l.trim()}`);
  const last = err.message === '' ? 'KeyboardInterrupt' : `KeyboardInterrupt: ${err.message}`;
  return ['Traceback (most recent call last):', ...frames, last, ''].join('\n');
}

/**
 * An uncaught KeyboardInterrupt ends the process as CPython's Py_RunMain
 * does (exit_sigint): after the program's own 'exit' listeners (which flush
 * sys.stdout, as finalization does), SIGINT with its default action.
 */
function exitBySigint(err: Error): never {
  try {
    systemExitOutput.write(keyboardInterruptReport(err));
  } catch {
    // CPython ignores a failure to print it too.
  }
  process.on('exit', () => dieBySignal(osConstants.signals.SIGINT));
  // 130 if the signal could not end it: what a shell reports for SIGINT.
  process.exit(130);
}

/**
 * Installs, once, the handler that turns an uncaught SystemExit into
 * process.exit(status), and an uncaught KeyboardInterrupt into death by
 * SIGINT. 'uncaughtExceptionMonitor' runs before Node's own
 * handling and leaves it alone: any other uncaught error is still reported
 * by Node (or by the program's own 'uncaughtException' handler) as before.
 * It also sees a SystemExit that rejects a promise nobody handles, which is
 * how sys.exit() inside an async function ends up uncaught.
 */
function watchSystemExit(): void {
  if (watching) return;
  watching = true;
  process.on('uncaughtExceptionMonitor', (err) => {
    if (plainHasInstance.call(KeyboardInterrupt, err)) exitBySigint(err);
    if (!plainHasInstance.call(SystemExit, err)) return;
    const { status, message } = exitStatus((err as SystemExit).code);
    if (message !== null) {
      try {
        systemExitOutput.write(`${message}\n`);
      } catch {
        // CPython ignores a failure to print it too.
      }
    }
    // 'exit' listeners run on the way out: they flush sys.stdout and every
    // other buffered file, as CPython's finalization does.
    process.exit(status);
  });
}

export type Filename = string | Buffer | number | null;

class OSError extends Exception {
  errno: number | null = null;
  strerror: string | null = null;
  filename: Filename = null;
  filename2: Filename = null;
  /** Node's name for errno (`'EBADF'`), for code written the Node way. */
  code: string | undefined;
  /** The syscall that failed, when pipefork raised the error. */
  syscall: string | undefined;

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
    this.args = args;
    if (args.length >= 2 && args.length <= 5) {
      // CPython stores whatever came first, a number or not.
      this.errno = (args[0] ?? null) as number | null;
      this.strerror = args[1] === undefined ? null : pyStr(args[1]);
      // oserror_init: a filename that is not None is kept, with filename2,
      // and args drops all but the first two; except that BlockingIOError
      // itself (not a subclass) takes a number there as characters_written
      // and keeps its args whole.
      const filename = args.length >= 3 ? (args[2] ?? null) : null;
      if (filename !== null) {
        if (new.target === BlockingIOError && isPyNumber(filename)) {
          (this as BlockingIOError).characters_written = writtenCount(filename);
        } else {
          this.filename = filename as Filename;
          if (args.length >= 5) this.filename2 = (args[4] ?? null) as Filename;
          this.args = args.slice(0, 2);
        }
      }
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

class BlockingIOError extends OSError {
  /**
   * Bytes written before EAGAIN: the third argument when it is a number,
   * BlockingIOError(errno, strerror, characters_written), as buffered
   * writers raise it; absent (undefined) otherwise, as in CPython.
   */
  declare characters_written?: number;
}

/** PyNumber_Check: what a number stands for in JS (an int, a float, a bool). */
function isPyNumber(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

/** PyNumber_AsSsize_t(v, ValueError), for characters_written. */
function writtenCount(v: unknown): number {
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'number' && !Number.isInteger(v)) {
    throw new TypeError("'float' object cannot be interpreted as an integer");
  }
  const n = BigInt(v as number | bigint);
  if (n >= 2n ** 63n || n < -(2n ** 63n)) throw new ValueError("cannot fit 'int' into an index-sized integer");
  return Number(n);
}
class ChildProcessError extends OSError {}
class ConnectionError extends OSError {}
class BrokenPipeError extends ConnectionError {}
class ConnectionAbortedError extends ConnectionError {}
class ConnectionRefusedError extends ConnectionError {}
class ConnectionResetError extends ConnectionError {}
class FileExistsError extends OSError {}
class FileNotFoundError extends OSError {}
class InterruptedError extends OSError {}
class IsADirectoryError extends OSError {}
class NotADirectoryError extends OSError {}
class PermissionError extends OSError {}
class ProcessLookupError extends OSError {}
class TimeoutError extends OSError {}

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

class ValueError extends Exception {}
/** Python's AssertionError: what a failed `assert` raises (multiprocessing's checks are asserts). */
class AssertionError extends Exception {}
/** Python's ArithmeticError, the kind of OverflowError. */
class ArithmeticError extends Exception {}
class OverflowError extends ArithmeticError {}
class MemoryError extends Exception {}
class EOFError extends Exception {}
class SubprocessError extends Exception {}

/** Python's UnicodeError (a ValueError): what a 'utf-16' stream without a BOM raises; the kind of the two below. */
class UnicodeError extends ValueError {}

/**
 * CPython's checks of UnicodeDecodeError's and UnicodeEncodeError's five
 * arguments, in its order and words (PyArg_ParseTuple's "UO!nnU" and
 * "OOnnU"): a program may make one itself. start and end as numbers.
 */
function unicodeErrorArgs(args: unknown[], decode: boolean): [number, number] {
  if (args.length !== 5) throw new TypeError(`function takes exactly 5 arguments (${args.length} given)`);
  const [encoding, object, start, end, reason] = args;
  const str = (v: unknown, n: number) => {
    if (typeof v !== 'string')
      throw new TypeError(`argument ${n} must be str, not ${v == null ? 'None' : pyTypeName(v)}`);
  };
  const ssize = (v: unknown): number => {
    if (typeof v !== 'number' && typeof v !== 'bigint') {
      throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
    }
    if (typeof v === 'number' && !Number.isInteger(v))
      throw new TypeError("'float' object cannot be interpreted as an integer");
    if (v >= 2 ** 63 || v < -(2 ** 63)) throw new OverflowError('Python int too large to convert to C ssize_t');
    return Number(v);
  };
  str(encoding, 1);
  if (!decode) str(object, 2);
  else if (!ArrayBuffer.isView(object) && !(object instanceof ArrayBuffer)) {
    throw new TypeError(`a bytes-like object is required, not '${pyTypeName(object)}'`);
  } else if (isDetached(object)) throw new ValueError('operation forbidden on released memoryview object');
  const n = [ssize(start), ssize(end)] as [number, number];
  str(reason, 5);
  return n;
}

class UnicodeDecodeError extends UnicodeError {
  declare readonly encoding: string;
  declare readonly object: Buffer;
  declare readonly start: number;
  declare readonly end: number;
  declare readonly reason: string;

  constructor(encoding: string, object: Buffer, start: number, end: number, reason: string);
  constructor(...args: unknown[]) {
    const [start, end] = unicodeErrorArgs(args, true);
    const [encoding, object, , , reason] = args as [string, Buffer, unknown, unknown, string];
    const what =
      end - start === 1
        ? `byte 0x${(object[start] ?? 0).toString(16).padStart(2, '0')} in position ${start}`
        : `bytes in position ${start}-${end - 1}`;
    super(`'${encoding}' codec can't decode ${what}: ${reason}`);
    Object.assign(this, { encoding, object, start, end, reason });
    this.args = [encoding, object, start, end, reason];
  }
}

/** start and end count code points, as Python's str indexes do. */
class UnicodeEncodeError extends UnicodeError {
  declare readonly encoding: string;
  declare readonly object: string;
  declare readonly start: number;
  declare readonly end: number;
  declare readonly reason: string;

  constructor(encoding: string, object: string, start: number, end: number, reason: string);
  constructor(...args: unknown[]) {
    const [start, end] = unicodeErrorArgs(args, false);
    const [encoding, object, , , reason] = args as [string, string, unknown, unknown, string];
    super(
      end - start === 1
        ? `'${encoding}' codec can't encode character '${charEscape(object, start)}' in position ${start}: ${reason}`
        : `'${encoding}' codec can't encode characters in position ${start}-${end - 1}: ${reason}`,
    );
    Object.assign(this, { encoding, object, start, end, reason });
    this.args = [encoding, object, start, end, reason];
  }
}

/** The escape of the code point at code-point index i (Python's message shows it so). */
function charEscape(s: string, i: number): string {
  return escapeCodePoint(Array.from(s)[i]?.codePointAt(0) ?? 0);
}

/** Python's LookupError: an unknown encoding or error handler. */
class LookupError extends Exception {}
/** Python's KeyError (a LookupError): its message is the repr of the key, as str(KeyError('k')) is "'k'". */
class KeyError extends LookupError {
  constructor(...args: unknown[]) {
    super(...args);
    if (args.length === 1) this.message = pyValueRepr(args[0]);
  }
}
/** Python's IndexError (a LookupError there too): an index out of range. */
class IndexError extends LookupError {}
/** Python's SystemError: CPython's own internal error, which struct.unpack('0p') raises. */
class SystemError extends Exception {}

/**
 * io.UnsupportedOperation is both an OSError and a ValueError in CPython.
 * JS has single inheritance, so it extends OSError and ValueError's
 * instanceof check is widened to accept it.
 */
class UnsupportedOperation extends OSError {}

const plainHasInstance = Function.prototype[Symbol.hasInstance];

// JS errors (the TypeError pipefork raises where Python raises one, a
// RangeError) are Exceptions to a port of `except Exception:`; only the
// BaseException-only classes (SystemExit, KeyboardInterrupt) are not.
// Subclasses inherit these functions, so each widens only its own class
// (`this` is the exported twin when called through it: classOf finds the class).
Object.defineProperty(BaseException, Symbol.hasInstance, {
  value(this: unknown, v: unknown): boolean {
    return plainHasInstance.call(this, v) || (classOf(this) === BaseException && v instanceof Error);
  },
});
Object.defineProperty(Exception, Symbol.hasInstance, {
  value(this: unknown, v: unknown): boolean {
    if (plainHasInstance.call(this, v)) return true;
    return classOf(this) === Exception && v instanceof Error && !plainHasInstance.call(BaseException, v);
  },
});
Object.defineProperty(ValueError, Symbol.hasInstance, {
  value(this: unknown, v: unknown): boolean {
    if (plainHasInstance.call(this, v)) return true;
    return classOf(this) === ValueError && plainHasInstance.call(UnsupportedOperation, v);
  },
});

// Python's class names show in stacks and in String(err).
for (const cls of [
  BaseException,
  Exception,
  RuntimeError,
  NotImplementedError,
  RecursionError,
  BufferError,
  KeyboardInterrupt,
  SystemExit,
  ArithmeticError,
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
  AssertionError,
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

// What the module exports: each class as its pyclass twin (lib/pyclass.ts),
// so a port calls them as Python does, `raise OSError(errno.ENOENT, 'x')`
// without new included. Inside this file the classes themselves are used.
const BaseException_ = pyclass(BaseException);
type BaseException_ = BaseException;
const Exception_ = pyclass(Exception);
type Exception_ = Exception;
const RuntimeError_ = pyclass(RuntimeError);
type RuntimeError_ = RuntimeError;
const NotImplementedError_ = pyclass(NotImplementedError);
type NotImplementedError_ = NotImplementedError;
const RecursionError_ = pyclass(RecursionError);
type RecursionError_ = RecursionError;
const BufferError_ = pyclass(BufferError);
type BufferError_ = BufferError;
const KeyboardInterrupt_ = pyclass(KeyboardInterrupt);
type KeyboardInterrupt_ = KeyboardInterrupt;
const SystemExit_ = pyclass(SystemExit);
type SystemExit_ = SystemExit;
const OSError_ = pyclass(OSError);
type OSError_ = OSError;
const BlockingIOError_ = pyclass(BlockingIOError);
type BlockingIOError_ = BlockingIOError;
const ChildProcessError_ = pyclass(ChildProcessError);
type ChildProcessError_ = ChildProcessError;
const ConnectionError_ = pyclass(ConnectionError);
type ConnectionError_ = ConnectionError;
const BrokenPipeError_ = pyclass(BrokenPipeError);
type BrokenPipeError_ = BrokenPipeError;
const ConnectionAbortedError_ = pyclass(ConnectionAbortedError);
type ConnectionAbortedError_ = ConnectionAbortedError;
const ConnectionRefusedError_ = pyclass(ConnectionRefusedError);
type ConnectionRefusedError_ = ConnectionRefusedError;
const ConnectionResetError_ = pyclass(ConnectionResetError);
type ConnectionResetError_ = ConnectionResetError;
const FileExistsError_ = pyclass(FileExistsError);
type FileExistsError_ = FileExistsError;
const FileNotFoundError_ = pyclass(FileNotFoundError);
type FileNotFoundError_ = FileNotFoundError;
const InterruptedError_ = pyclass(InterruptedError);
type InterruptedError_ = InterruptedError;
const IsADirectoryError_ = pyclass(IsADirectoryError);
type IsADirectoryError_ = IsADirectoryError;
const NotADirectoryError_ = pyclass(NotADirectoryError);
type NotADirectoryError_ = NotADirectoryError;
const PermissionError_ = pyclass(PermissionError);
type PermissionError_ = PermissionError;
const ProcessLookupError_ = pyclass(ProcessLookupError);
type ProcessLookupError_ = ProcessLookupError;
const TimeoutError_ = pyclass(TimeoutError);
type TimeoutError_ = TimeoutError;
const ValueError_ = pyclass(ValueError);
type ValueError_ = ValueError;
const AssertionError_ = pyclass(AssertionError);
type AssertionError_ = AssertionError;
const ArithmeticError_ = pyclass(ArithmeticError);
type ArithmeticError_ = ArithmeticError;
const OverflowError_ = pyclass(OverflowError);
type OverflowError_ = OverflowError;
const MemoryError_ = pyclass(MemoryError);
type MemoryError_ = MemoryError;
const EOFError_ = pyclass(EOFError);
type EOFError_ = EOFError;
const SubprocessError_ = pyclass(SubprocessError);
type SubprocessError_ = SubprocessError;
const UnicodeError_ = pyclass(UnicodeError);
type UnicodeError_ = UnicodeError;
const UnicodeDecodeError_ = pyclass(UnicodeDecodeError);
type UnicodeDecodeError_ = UnicodeDecodeError;
const UnicodeEncodeError_ = pyclass(UnicodeEncodeError);
type UnicodeEncodeError_ = UnicodeEncodeError;
const LookupError_ = pyclass(LookupError);
type LookupError_ = LookupError;
const KeyError_ = pyclass(KeyError);
type KeyError_ = KeyError;
const IndexError_ = pyclass(IndexError);
type IndexError_ = IndexError;
const SystemError_ = pyclass(SystemError);
type SystemError_ = SystemError;
const UnsupportedOperation_ = pyclass(UnsupportedOperation);
type UnsupportedOperation_ = UnsupportedOperation;

export {
  ArithmeticError_ as ArithmeticError,
  AssertionError_ as AssertionError,
  BaseException_ as BaseException,
  BlockingIOError_ as BlockingIOError,
  BrokenPipeError_ as BrokenPipeError,
  BufferError_ as BufferError,
  ChildProcessError_ as ChildProcessError,
  ConnectionAbortedError_ as ConnectionAbortedError,
  ConnectionError_ as ConnectionError,
  ConnectionRefusedError_ as ConnectionRefusedError,
  ConnectionResetError_ as ConnectionResetError,
  EOFError_ as EOFError,
  Exception_ as Exception,
  FileExistsError_ as FileExistsError,
  FileNotFoundError_ as FileNotFoundError,
  IndexError_ as IndexError,
  InterruptedError_ as InterruptedError,
  IsADirectoryError_ as IsADirectoryError,
  KeyboardInterrupt_ as KeyboardInterrupt,
  KeyError_ as KeyError,
  LookupError_ as LookupError,
  MemoryError_ as MemoryError,
  NotADirectoryError_ as NotADirectoryError,
  NotImplementedError_ as NotImplementedError,
  OSError_ as OSError,
  OverflowError_ as OverflowError,
  PermissionError_ as PermissionError,
  ProcessLookupError_ as ProcessLookupError,
  RecursionError_ as RecursionError,
  RuntimeError_ as RuntimeError,
  SubprocessError_ as SubprocessError,
  SystemError_ as SystemError,
  SystemExit_ as SystemExit,
  TimeoutError_ as TimeoutError,
  UnicodeDecodeError_ as UnicodeDecodeError,
  UnicodeEncodeError_ as UnicodeEncodeError,
  UnicodeError_ as UnicodeError,
  UnsupportedOperation_ as UnsupportedOperation,
  ValueError_ as ValueError,
};
