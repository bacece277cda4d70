// Python's subprocess module (POSIX half), after CPython's Lib/subprocess.py,
// cut where it is cut: Popen.__init__ -> _get_handles -> _execute_child.
// The child is started by posix.spawn (native/spawn.cc), which does what
// CPython's _posixsubprocess.fork_exec does (vfork-style, so the cost does
// not grow with the JS heap); it is waited for and signalled through
// lib/children.ts, the one owner of pipefork's children. Nothing here uses
// Node's child_process or libuv's SIGCHLD handling: pipefork's children and
// Node's never see each other.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type AsyncOptions, Deadline, takeSignal, throwIfAborted } from './abort.js';
import { reap, signalChild, trackChild } from './children.js';
import {
  type Bound,
  bigToNumber,
  bind,
  isKwargs,
  isPyInt,
  type NoKeywords,
  noArgs,
  type OnlyKeys,
  POSITIONAL,
  pyInt,
  pyIntValue,
  pyIter,
  pyList,
  pyTruth,
  pyTypeName,
  type Signature,
  signature,
  toBytes,
  toCInt,
} from './convert.js';
import {
  BrokenPipeError,
  ChildProcessError,
  type Filename,
  IndexError,
  KeyError,
  OSError,
  OverflowError,
  pyRepr,
  pyStr,
  pyValueRepr,
  SubprocessError,
  ValueError,
} from './errors.js';
import type { BufferedReader, BufferedWriter } from './io/buffered.js';
import { lookupCodec, utf8DecodeEscape } from './io/codecs.js';
import type { FileIO } from './io/fileio.js';
import type { TextIOWrapper } from './io/text.js';
import * as io from './io.js';
import { O_RDWR, close as osClose, open as osOpen, read as osRead, write as osWrite, pipe } from './os.js';
import type { _Environ } from './os_env.js';
import { _envItems, _exec_path, _fsarg, _isMapping, _join_exec, _returncode } from './os_process.js';
import * as posix from './posix/index.js';
import { untilReaped } from './posix/pidwait.js';
import { pyclass } from './pyclass.js';
import { ownReadBuffer, shrink } from './readsize.js';
import { SIGKILL, SIGTERM, type Signal, Signals } from './signal.js';
import { tuple } from './tuple.js';

export { SubprocessError };

export const PIPE = -1;
export const STDOUT = -2;
export const DEVNULL = -3;

const EINVAL = osConstants.errno.EINVAL;
/** select.PIPE_BUF: a write of at most this much to a pipe that polled writable does not block. */
const PIPE_BUF = 4096;
const POLLIN = 0x001;
const POLLPRI = 0x002;
const POLLOUT = 0x004;

// --- Python-style values and arguments ----------------------------------------

/** Python's `a or b or ...`: the first true value, else the last one (undefined counts as None). */
function pyOr(...values: unknown[]): unknown {
  for (const v of values) if (pyTruth(v)) return v;
  return values[values.length - 1] ?? null;
}

// --- exceptions --------------------------------------------------------------

type Output = Buffer | string | null;

/**
 * What CalledProcessError and TimeoutExpired share, as in CPython: output
 * and stderr (stdout an alias of output), args as BaseException keeps them,
 * and str(e) computed from the attributes whenever `message` is read.
 */
abstract class OutputError extends SubprocessError {
  output: Output = null;
  stderr: Output = null;
  /** The positional arguments, as BaseException.args keeps them: `[1, ['false']]`. */
  override args: unknown[] = [];

  /** Binds the constructor's arguments; sets output, stderr and args. */
  protected _bind(sig: Signature, a: unknown[]): Bound {
    const b = bind(sig, a);
    this.output = (b.output ?? null) as Output;
    this.stderr = (b.stderr ?? null) as Output;
    this.args = b[POSITIONAL] ?? [];
    return b;
  }
  /** Alias for output, as in Python. */
  get stdout(): Output {
    return this.output;
  }
  set stdout(v: Output) {
    this.output = v;
  }
  /** Python's str(e), which `message` always gives (String(e) is the class name, ': ' and it). */
  abstract __str__(): string;
}
// Python computes str(e) from the attributes when it is asked for; so does `message`.
Object.defineProperty(OutputError.prototype, 'message', {
  get(this: OutputError): string {
    return this.__str__();
  },
  set(this: Error, v: string) {
    Object.defineProperty(this, 'message', { value: v, writable: true, configurable: true });
  },
  configurable: true,
});

/** The exceptions' __init__(self, a, b, output=None, stderr=None). */
function outputErrorArgs(name: string, params: string[]): Signature {
  return signature('python', `${name}.__init__`, [...params, 'output', 'stderr'], {
    required: 2,
    maxPositional: 4,
    self: 1,
  });
}
const CALLEDPROCESSERROR_ARGS = outputErrorArgs('CalledProcessError', ['returncode', 'cmd']);
const TIMEOUTEXPIRED_ARGS = outputErrorArgs('TimeoutExpired', ['cmd', 'timeout']);

class CalledProcessError extends OutputError {
  returncode: number;
  cmd: unknown;

  /** CalledProcessError(returncode, cmd, output=None, stderr=None); keywords in a trailing object. */
  constructor(returncode: number, cmd: unknown, output?: Output, stderr?: Output);
  constructor(returncode: number, cmd: unknown, kwargs: { output?: Output; stderr?: Output });
  constructor(kwargs: { returncode: number; cmd: unknown; output?: Output; stderr?: Output });
  constructor(...a: unknown[]) {
    super();
    const b = this._bind(CALLEDPROCESSERROR_ARGS, a);
    this.returncode = b.returncode as number;
    this.cmd = b.cmd;
  }
  __str__(...a: unknown[]): string {
    noArgs('python', 'CalledProcessError.__str__', a);
    const rc = this.returncode;
    const cmd = pyStr(this.cmd);
    if (rc && rc < 0) {
      try {
        return `Command '${cmd}' died with ${Signals(-rc).repr()}.`;
      } catch {
        return `Command '${cmd}' died with unknown signal ${-rc}.`;
      }
    }
    return `Command '${cmd}' returned non-zero exit status ${rc}.`;
  }
}
class TimeoutExpired extends OutputError {
  cmd: unknown;
  timeout: number;

  /** TimeoutExpired(cmd, timeout, output=None, stderr=None); keywords in a trailing object. */
  constructor(cmd: unknown, timeout: number, output?: Output, stderr?: Output);
  constructor(cmd: unknown, timeout: number, kwargs: { output?: Output; stderr?: Output });
  constructor(kwargs: { cmd: unknown; timeout: number; output?: Output; stderr?: Output });
  constructor(...a: unknown[]) {
    super();
    const b = this._bind(TIMEOUTEXPIRED_ARGS, a);
    this.cmd = b.cmd;
    this.timeout = b.timeout as number;
  }
  /** The timeout as "%s" prints it (errors.ts pyNumStr: ints and floats). */
  __str__(...a: unknown[]): string {
    noArgs('python', 'TimeoutExpired.__str__', a);
    return `Command '${pyStr(this.cmd)}' timed out after ${pyStr(this.timeout)} seconds`;
  }
}
for (const cls of [CalledProcessError, TimeoutExpired]) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true });
}

// --- io glue ------------------------------------------------------------------

/** The parts of an io file object Popen uses (lib/io.ts). */
export interface PipeFile {
  fileno(): number;
  close(): void;
  flush(): void;
  readonly closed: boolean;
  read(n?: number): Buffer | string;
  write(data: unknown): number;
  readonly encoding?: string;
  readonly errors?: string;
  // The awaitable twins (docs/async.md), which communicateAsync uses.
  readAsync(n?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer | string | null>;
  writeAsync(data: unknown, options?: AsyncOptions): Promise<number | null>;
  flushAsync(options?: AsyncOptions): Promise<void>;
}

interface TextOptions {
  encoding: string | null;
  errors: string | null;
  line_buffering: boolean;
}

/**
 * io.open(fd, 'wb'/'rb', bufsize), wrapped in a TextIOWrapper in text mode
 * (write_through for stdin, so communicate's raw writes follow what the
 * caller wrote), as Popen.__init__ does. `owned(fd)` is called once a file
 * object owns the fd; if the TextIOWrapper then fails, the raw file is closed.
 */
function openPipe(
  fd: number,
  mode: 'wb' | 'rb',
  bufsize: number,
  text: TextOptions | null,
  owned: (fd: number) => void,
): PipeFile {
  const raw = io.open(fd, mode, bufsize) as unknown as PipeFile & io.BufferedIO;
  owned(fd);
  if (!text) return raw;
  const kwargs: Record<string, unknown> = { encoding: text.encoding, errors: text.errors };
  if (mode === 'wb') {
    kwargs.write_through = true;
    kwargs.line_buffering = text.line_buffering;
  }
  try {
    return new io.TextIOWrapper(raw, kwargs) as unknown as PipeFile;
  } catch (e) {
    raw.close();
    throw e;
  }
}

/** bytes.decode(encoding, errors) then universal newlines (Popen._translate_newlines). */
function translateNewlines(
  data: Buffer,
  encoding: string | null | undefined,
  errors: string | null | undefined,
): string {
  const s = lookupCodec(encoding ?? 'utf-8')
    .decoder(errors ?? 'strict')
    .decode(data, true);
  return s.replace(/\r\n/g, '\n').replace(/\r/g, '\n');
}

/** str.encode(encoding, errors), for communicate's text input. */
function encodeInput(input: unknown, encoding: string | null | undefined, errors: string | null | undefined): Buffer {
  // input.encode(...): Python's AttributeError is a TypeError here.
  if (typeof input !== 'string') throw new TypeError(`'${pyTypeName(input)}' object has no attribute 'encode'`);
  return lookupCodec(encoding ?? 'utf-8').encode(input, errors ?? 'strict', true);
}

// --- time --------------------------------------------------------------------

function now(): number {
  return performance.now() / 1000;
}

/** A timeout: None, or a number (NaN and the infinities included: Python's float arithmetic takes them). */
function toTimeout(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean' || typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') {
    throw new TypeError(`unsupported operand type(s) for +: 'float' and '${pyTypeName(v)}'`);
  }
  return v;
}

/** An endtime in seconds (now()'s clock, or null) as a posix deadline (performance.now() ms). */
function deadlineOf(endtime: number | null): number {
  return endtime === null ? posix.FOREVER : endtime * 1000;
}

// --- abandoned children (CPython's _active / _cleanup) -----------------------

const active = new Set<number>();
/** What the registry keeps of a Popen: its pid, and whether it was reaped. */
interface ChildState {
  pid: number;
  reaped: boolean;
}
const abandoned = new FinalizationRegistry<ChildState>((held) => {
  if (!held.reaped) active.add(held.pid);
});

/** Reaps children whose Popen was garbage-collected while they ran, as CPython's _cleanup. */
function cleanup(): void {
  for (const pid of active) {
    try {
      // ownOnly: a pid reaped elsewhere (os.wait) may be someone else's by
      // now, perhaps a child_process child: it is ECHILD without a syscall.
      if (reap(pid, posix.WNOHANG, true)[0] === pid) active.delete(pid);
    } catch (e) {
      if (e instanceof ChildProcessError) active.delete(pid);
    }
  }
}

// --- Popen --------------------------------------------------------------------

/** Popen's parameters in Python's positional order (3.11), then the keyword-only ones. */
const POPEN_POSITIONAL = [
  'args',
  'bufsize',
  'executable',
  'stdin',
  'stdout',
  'stderr',
  'preexec_fn',
  'close_fds',
  'shell',
  'cwd',
  'env',
  'universal_newlines',
  'startupinfo',
  'creationflags',
  'restore_signals',
  'start_new_session',
  'pass_fds',
] as const;
const POPEN_KWONLY = [
  'user',
  'group',
  'extra_groups',
  'encoding',
  'errors',
  'text',
  'umask',
  'pipesize',
  'process_group',
] as const;

const POPEN_INIT_ARGS = signature('python', 'Popen.__init__', [...POPEN_POSITIONAL, ...POPEN_KWONLY], {
  required: 1,
  maxPositional: POPEN_POSITIONAL.length,
  self: 1,
  // Popen(args, ..., cwd, { FOO: 'bar' }): a plain object where env goes is the environment.
  mappings: ['env'],
});
const WAIT_ARGS = signature('python', 'Popen.wait', ['timeout'], { self: 1 });
const COMMUNICATE_ARGS = signature('python', 'Popen.communicate', ['input', 'timeout'], { self: 1 });
const SEND_SIGNAL_ARGS = signature('python', 'Popen.send_signal', ['sig'], { required: 1, self: 1 });
const EXIT_ARGS = signature('python', 'Popen.__exit__', ['exc_type', 'value', 'traceback'], { required: 3, self: 1 });

export type Stdio = number | null | undefined | { fileno(): number };
/** An environment for the child: a plain object or Map, process.env, os.environ or os.environb. */
export type Env =
  | Record<string, string | Uint8Array>
  | Map<string | Uint8Array, string | Uint8Array>
  | NodeJS.ProcessEnv
  | _Environ<string>
  | _Environ<Buffer>;
export type Args = string | Uint8Array | URL | readonly (string | Uint8Array | URL)[];

export interface PopenOptions {
  bufsize?: number;
  executable?: string | Uint8Array | URL | null;
  stdin?: Stdio;
  stdout?: Stdio;
  stderr?: Stdio;
  preexec_fn?: null;
  close_fds?: boolean;
  shell?: boolean;
  cwd?: string | Uint8Array | URL | null;
  env?: Env | null;
  universal_newlines?: boolean | null;
  startupinfo?: null;
  creationflags?: number;
  restore_signals?: boolean;
  start_new_session?: boolean;
  pass_fds?: Iterable<number>;
  user?: string | number | bigint | null;
  group?: string | number | bigint | null;
  extra_groups?: Iterable<string | number | bigint> | null;
  encoding?: string | null;
  errors?: string | null;
  text?: boolean | null;
  umask?: number;
  pipesize?: number;
  process_group?: number | null;
}

/**
 * Popen's parameters after args in CPython's positional order, for a call
 * that gives them by position: `Popen(cmd, -1, null, PIPE, PIPE)`. Text
 * mode is asked for by keyword only here (universal_newlines is false or
 * null), so such a call's pipes carry Buffers.
 */
export type PopenPositional = [
  bufsize?: number,
  executable?: string | Uint8Array | URL | null,
  stdin?: Stdio,
  stdout?: Stdio,
  stderr?: Stdio,
  preexec_fn?: null,
  close_fds?: boolean,
  shell?: boolean,
  cwd?: string | Uint8Array | URL | null,
  env?: Env | null,
  universal_newlines?: false | null,
  startupinfo?: null,
  creationflags?: number,
  restore_signals?: boolean,
  start_new_session?: boolean,
  pass_fds?: Iterable<number>,
];

// What a call's options say about its pipes, for the types: Python's text
// mode is `encoding or errors or text or universal_newlines`, so the pipes
// carry str when one of them is surely true, bytes when all are surely
// false (or left out), and either when TypeScript cannot tell.
type Falsy = false | null | undefined;
type Truth<V> = [V] extends [Falsy] ? 'no' : [V] extends [true | string] ? 'yes' : 'maybe';
type KeyTruth<O, K extends PropertyKey> = K extends keyof O ? Truth<O[K]> : 'no';
type TextMode<O> =
  | KeyTruth<O, 'text'>
  | KeyTruth<O, 'universal_newlines'>
  | KeyTruth<O, 'encoding'>
  | KeyTruth<O, 'errors'>;

/** What the pipes of a call with options O carry: string in text mode, Buffer otherwise. */
export type DataOf<O> = 'yes' extends TextMode<O> ? string : 'maybe' extends TextMode<O> ? Buffer | string : Buffer;
/** Popen.stdin's file: a TextIOWrapper in text mode, else a BufferedWriter (a FileIO with bufsize 0). */
export type PipeIn<T extends Buffer | string> = T extends string ? TextIOWrapper : BufferedWriter | FileIO;
/** Popen.stdout's and stderr's file: a TextIOWrapper in text mode, else a BufferedReader (a FileIO with bufsize 0). */
export type PipeOut<T extends Buffer | string> = T extends string ? TextIOWrapper : BufferedReader | FileIO;

/**
 * pwd.getpwnam / grp.getgrnam from the files (/etc/passwd, /etc/group):
 * Node has no NSS lookup, so names served only by LDAP or the like are not found.
 */
function lookupId(file: '/etc/passwd' | '/etc/group', name: string): number {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // no such file: not found below
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[2] !== undefined && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  const func = file === '/etc/passwd' ? 'getpwnam' : 'getgrnam';
  throw new KeyError(`${func}(): name not found: ${pyRepr(name)}`);
}

const ID_LIMIT = 2n ** 32n;

/**
 * _posixsubprocess's conversion of user and group (after subprocess.py's own
 * negative check): 2**32 - 1 is (uid_t)-1, "leave it alone", and anything
 * wider than an id is CPython 3.11's OverflowError, in its words.
 */
function idArg(n: bigint, kind: 'uid' | 'gid'): number {
  if (n >= 2n ** 63n) throw new OverflowError(`${kind} is greater than maximum`);
  if (n >= ID_LIMIT) throw new OverflowError(`${kind} is less than minimum`);
  return n === ID_LIMIT - 1n ? -1 : Number(n);
}

/**
 * Popen's user/group/extra_groups checks, in CPython's order and words:
 * subprocess.py's (types, names, negatives: group, extra_groups, user), then
 * _posixsubprocess's (extra_groups, group, user). Every value is checked as
 * the exact int it is before anything narrows it, so 2**64 can never wrap
 * to group 0.
 */
function credentials(
  user: unknown,
  group: unknown,
  extra: unknown,
): { uid: number; gid: number; gids: Uint32Array | null } {
  let gid: bigint | null = null;
  if (group !== undefined && group !== null) {
    gid = typeof group === 'string' ? BigInt(lookupId('/etc/group', group)) : pyIntValue(group);
    if (gid === null) throw new TypeError(`Group must be a string or an integer, not <class '${pyTypeName(group)}'>`);
    if (gid < 0n) throw new ValueError(`Group ID cannot be negative, got ${gid}`);
  }
  let list: bigint[] | null = null;
  if (extra !== undefined && extra !== null) {
    if (typeof extra === 'string') throw new ValueError('Groups must be a list, not a string');
    list = [];
    for (const g of pyIter(extra)) {
      const n = typeof g === 'string' ? BigInt(lookupId('/etc/group', g)) : pyIntValue(g);
      if (n === null) {
        throw new TypeError(`Items in extra_groups must be a string or integer, not <class '${pyTypeName(g)}'>`);
      }
      list.push(n);
    }
    for (const g of list) if (g < 0n) throw new ValueError(`Group ID cannot be negative, got ${g}`);
  }
  let uid: bigint | null = null;
  if (user !== undefined && user !== null) {
    uid = typeof user === 'string' ? BigInt(lookupId('/etc/passwd', user)) : pyIntValue(user);
    if (uid === null) throw new TypeError('User must be a string or an integer');
    if (uid < 0n) throw new ValueError(`User ID cannot be negative, got ${uid}`);
  }
  // _Py_Gid_Converter on each extra group: no "leave alone" value there, so
  // 2**32 - 1 reaches setgroups (EINVAL in the child, as in CPython).
  if (list?.some((g) => g >= ID_LIMIT)) throw new ValueError('invalid group id');
  return {
    gid: gid === null ? -1 : idArg(gid, 'gid'),
    uid: uid === null ? -1 : idArg(uid, 'uid'),
    gids: list === null ? null : Uint32Array.from(list, Number),
  };
}

function stdioFd(v: unknown): number {
  // _get_handles: an int is an fd; anything else (a float too) must have fileno().
  if ((typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint') return toCInt(v);
  if (v !== null && typeof v === 'object' && typeof (v as { fileno?: unknown }).fileno === 'function') {
    return toCInt((v as { fileno(): unknown }).fileno());
  }
  throw new TypeError(`'${pyTypeName(v)}' object has no attribute 'fileno'`);
}

/** pass_fds as _execute_child takes it: int() of each, deduplicated and sorted (fds_to_keep). */
function passFdsArg(v: unknown): Int32Array {
  // int() of each, then _posixsubprocess's check: anything not 0..INT_MAX
  // (2**64 included, where its C long overflows) is 'bad value(s)'.
  const fds = pyList(v ?? []).map(pyInt);
  if (fds.some((fd) => fd < 0 || fd > 2 ** 31 - 1)) throw new ValueError('bad value(s) in fds_to_keep');
  return Int32Array.from(new Set(fds)).sort();
}

/** _execute_child's args: a str, bytes or path is one program name; anything else is iterated. */
function argsList(args: unknown, shell: boolean): unknown[] {
  if (typeof args === 'string' || args instanceof Uint8Array) return [args];
  if (args instanceof URL) {
    if (shell) throw new TypeError('path-like args is not allowed when shell is true');
    return [args];
  }
  return pyList(args);
}

/**
 * Popen.__init__'s checks of its settings, in CPython's order and words,
 * before anything is opened: what the constructor goes on with.
 */
function popenSettings(o: PopenOptions & { args: unknown }) {
  const rawBufsize = bigToNumber(o.bufsize ?? -1);
  if (!isPyInt(rawBufsize)) throw new TypeError('bufsize must be an integer');
  let bufsize = rawBufsize;
  const pipesize = bigToNumber(o.pipesize ?? -1);
  if (!isPyInt(pipesize)) throw new TypeError('pipesize must be an integer');
  if (pyTruth(o.preexec_fn)) {
    throw new ValueError(
      'preexec_fn is not supported by pipefork: JavaScript cannot run between fork and exec. ' +
        'Use cwd, env, umask, start_new_session, process_group or pass_fds, or os.fork() + os.execv().',
    );
  }
  let closeFds = o.close_fds === undefined ? true : pyTruth(o.close_fds);
  if (pyTruth(o.pass_fds) && !closeFds) {
    process.emitWarning('pass_fds overriding close_fds.', 'RuntimeWarning');
    closeFds = true;
  }
  if (o.startupinfo !== undefined && o.startupinfo !== null) {
    throw new ValueError('startupinfo is only supported on Windows platforms');
  }
  if (o.creationflags !== undefined && o.creationflags !== 0 && o.creationflags !== (false as unknown)) {
    throw new ValueError('creationflags is only supported on Windows platforms');
  }
  if (
    o.text !== undefined &&
    o.text !== null &&
    o.universal_newlines !== undefined &&
    o.universal_newlines !== null &&
    pyTruth(o.universal_newlines) !== pyTruth(o.text)
  ) {
    throw new SubprocessError(
      'Cannot disambiguate when both text and universal_newlines are supplied but different. Pass one or the other.',
    );
  }
  const textMode = pyOr(o.encoding, o.errors, o.text, o.universal_newlines) as string | boolean | null;
  const text = pyTruth(textMode);
  let lineBuffering = false;
  if (text && bufsize === 1) {
    lineBuffering = true;
    bufsize = -1;
  }
  return {
    bufsize,
    pipesize,
    closeFds,
    textMode,
    // In text mode without an encoding, the locale's ('UTF-8'), as CPython.
    encoding: o.encoding ?? (text ? 'UTF-8' : null),
    errors: o.errors ?? null,
    lineBuffering,
    ...credentials(o.user, o.group, o.extra_groups),
  };
}

type PopenSettings = ReturnType<typeof popenSettings>;

/** The stdio plan of _get_handles: the child's ends and the parent's; -1 = none. */
interface Handles {
  p2cread: number;
  p2cwrite: number;
  c2pread: number;
  c2pwrite: number;
  errread: number;
  errwrite: number;
}

/** Popen.__init__'s argument list as bound (Python's names). */
type BoundOptions = PopenOptions & { args: unknown };

/**
 * Popen<T>: T is what the pipes carry, string in text mode and Buffer
 * otherwise (the exported Popen's types pick it from the options).
 */
class Popen<T extends Buffer | string = Buffer | string> implements Disposable {
  /** The args as given (what error messages show). */
  readonly args: unknown;
  readonly pid: number;
  returncode: number | null = null;
  /** The child's stdin, for stdin: PIPE: a TextIOWrapper in text mode, else a BufferedWriter (FileIO with bufsize 0). */
  stdin: PipeIn<T> | null = null;
  /** The child's stdout, for stdout: PIPE: a TextIOWrapper in text mode, else a BufferedReader (FileIO with bufsize 0). */
  stdout: PipeOut<T> | null = null;
  /** The child's stderr, for stderr: PIPE: as stdout. */
  stderr: PipeOut<T> | null = null;
  /**
   * `encoding or errors or text or universal_newlines`, as CPython keeps it:
   * true in text mode (`true`, or the encoding string itself), else the last
   * of them (`null` when none was given).
   */
  text_mode: string | boolean | null;
  /** The text encoding; in text mode without one, the locale's ('UTF-8'), as CPython. */
  readonly encoding: string | null;
  readonly errors: string | null;
  /** The pipesize given (-1 when none was): CPython keeps it as given. */
  readonly pipesize: number;

  #state: ChildState = { pid: 0, reaped: false };
  #communicationStarted = false;
  #input: Buffer | null = null;
  #inputOffset = 0;
  #output = new Map<PipeFile, Buffer[]>();

  /**
   * Popen.__init__: the settings, then _get_handles (the stdio plan), the
   * parent's file objects, and _execute_child. If anything fails, every fd
   * opened so far is closed and nothing runs.
   */
  constructor(args: Args, options?: PopenOptions);
  constructor(...a: unknown[]) {
    cleanup();
    const o = bind(POPEN_INIT_ARGS, a) as unknown as BoundOptions;
    const settings = popenSettings(o);
    this.args = o.args;
    this.pipesize = settings.pipesize;
    this.text_mode = settings.textMode;
    this.encoding = settings.encoding;
    this.errors = settings.errors;

    // Fds opened here that no file object owns yet: closed on failure, and
    // after the spawn (the child's ends of the pipes, /dev/null).
    const opened: number[] = [];
    const files: [PipeFile | null, PipeFile | null, PipeFile | null] = [null, null, null];
    let pid: number;
    try {
      const handles = this.#getHandles(o, settings.pipesize, opened);
      this.#openPipes(handles, settings, files, opened);
      pid = this.#executeChild(o, handles, settings);
    } catch (e) {
      // Nothing runs: close the file objects (and so their fds), then the rest.
      for (const f of files) {
        try {
          f?.close();
        } catch {
          // as CPython: an error closing is not the error to report
        }
      }
      for (const fd of opened) osClose(fd);
      throw e;
    }
    this.pid = pid;
    trackChild(pid);
    this.#state = { pid, reaped: false };
    abandoned.register(this, this.#state);
    for (const fd of opened) osClose(fd);
    this.stdin = files[0] as PipeIn<T> | null;
    this.stdout = files[1] as PipeOut<T> | null;
    this.stderr = files[2] as PipeOut<T> | null;
  }

  /** The three pipes as this file uses them (what every file object of theirs has). */
  /**
   * What _communicate sets up once, for communicate() and its twin alike:
   * a list per output pipe the first time, and the input encoded (text
   * mode) or copied once, so a call after TimeoutExpired goes on from
   * #inputOffset.
   */
  #prepareCommunication(
    stdin: PipeFile | null,
    stdout: PipeFile | null,
    stderr: PipeFile | null,
    input: unknown,
  ): void {
    if (!this.#communicationStarted) {
      if (stdout) this.#output.set(stdout, []);
      if (stderr) this.#output.set(stderr, []);
    }
    if (stdin && this.#input === null) {
      this.#inputOffset = 0;
      if (input !== null && input !== undefined) {
        this.#input = pyTruth(this.text_mode)
          ? encodeInput(input, stdin.encoding ?? this.encoding, stdin.errors ?? this.errors)
          : Buffer.from(toBytesLike(input));
      }
    }
  }

  #pipes(): [PipeFile | null, PipeFile | null, PipeFile | null] {
    return [this.stdin, this.stdout, this.stderr] as [PipeFile | null, PipeFile | null, PipeFile | null];
  }

  /**
   * _get_handles: the fds the child gets as 0-2 and the parent's ends of
   * the pipes. Every fd opened here is close-on-exec and goes on `opened`.
   */
  #getHandles(o: BoundOptions, pipesize: number, opened: number[]): Handles {
    let devnull = -1;
    const getDevnull = (): number => {
      if (devnull < 0) {
        devnull = osOpen('/dev/null', O_RDWR);
        opened.push(devnull);
      }
      return devnull;
    };
    const size = pipesize > 0 ? toCInt(pipesize) : -1;
    const mkpipe = (): [number, number] => {
      const p = pipe();
      opened.push(p[0], p[1]);
      // Where the system has no F_SETPIPE_SZ, pipesize is ignored (CPython too).
      if (size > 0) posix.setPipeSize(p[1], size);
      return p;
    };
    const h: Handles = { p2cread: -1, p2cwrite: -1, c2pread: -1, c2pwrite: -1, errread: -1, errwrite: -1 };
    const [stdin, stdout, stderr] = [bigToNumber(o.stdin), bigToNumber(o.stdout), bigToNumber(o.stderr)];
    if (stdin === PIPE) [h.p2cread, h.p2cwrite] = mkpipe();
    else if (stdin === DEVNULL) h.p2cread = getDevnull();
    else if (stdin !== undefined && stdin !== null) h.p2cread = stdioFd(stdin);
    if (stdout === PIPE) [h.c2pread, h.c2pwrite] = mkpipe();
    else if (stdout === DEVNULL) h.c2pwrite = getDevnull();
    else if (stdout !== undefined && stdout !== null) h.c2pwrite = stdioFd(stdout);
    if (stderr === PIPE) [h.errread, h.errwrite] = mkpipe();
    else if (stderr === STDOUT) h.errwrite = h.c2pwrite !== -1 ? h.c2pwrite : 1;
    else if (stderr === DEVNULL) h.errwrite = getDevnull();
    else if (stderr !== undefined && stderr !== null) h.errwrite = stdioFd(stderr);
    return h;
  }

  /**
   * The parent's file objects on its ends of the pipes, made before the
   * child exists (CPython #8458), so whatever they refuse (an unknown
   * encoding, a bad argument type) is raised before anything runs.
   */
  #openPipes(
    h: Handles,
    settings: PopenSettings,
    files: [PipeFile | null, PipeFile | null, PipeFile | null],
    opened: number[],
  ): void {
    const owned = (fd: number): void => {
      const i = opened.indexOf(fd);
      if (i >= 0) opened.splice(i, 1);
    };
    const text = pyTruth(settings.textMode)
      ? { encoding: settings.encoding, errors: settings.errors, line_buffering: settings.lineBuffering }
      : null;
    let bufsize = settings.bufsize;
    if (bufsize === 1 && (h.p2cwrite !== -1 || h.c2pread !== -1 || h.errread !== -1)) {
      process.emitWarning(
        "line buffering (buffering=1) isn't supported in binary mode, the default buffer size will be used",
        'RuntimeWarning',
      );
      bufsize = -1;
    }
    if (h.p2cwrite !== -1) files[0] = openPipe(h.p2cwrite, 'wb', bufsize, text, owned);
    if (h.c2pread !== -1) files[1] = openPipe(h.c2pread, 'rb', bufsize, text, owned);
    if (h.errread !== -1) files[2] = openPipe(h.errread, 'rb', bufsize, text, owned);
  }

  /**
   * _execute_child: argv, env, the PATH candidates and the fd plan, all
   * prepared before the child exists, then posix.spawn. Returns the pid.
   */
  #executeChild(o: BoundOptions, h: Handles, settings: PopenSettings): number {
    const shell = pyTruth(o.shell);
    let argList = argsList(o.args, shell);
    let executable: unknown = o.executable ?? null;
    if (shell) {
      argList = ['/bin/sh', '-c', ...argList];
      if (pyTruth(executable)) argList[0] = executable;
    }
    if (executable === null) {
      if (argList.length === 0) throw new IndexError('list index out of range');
      executable = argList[0];
    }
    const env = o.env ?? null;
    let envp: (string | Uint8Array)[] | null = null;
    if (env !== null) {
      if (!_isMapping(env)) throw new TypeError(`'${pyTypeName(env)}' object has no attribute 'items'`);
      // Popen (unlike os.execve) only refuses '=' in a name, empty names pass.
      envp = _envItems(env, (key) => key.includes(0x3d));
    }
    const exe = _fsarg(executable);
    const executables = (typeof exe === 'string' ? exe.includes('/') : exe.includes(0x2f))
      ? [exe]
      : _exec_path(env).map((d) => _join_exec(d, exe));
    const passFds = passFdsArg(o.pass_fds);
    const argv = argList.map(_fsarg);
    return posix.spawn(
      {
        executables,
        argv,
        envp,
        // Bytes go to the child's chdir() as they are: a path need not be UTF-8.
        cwd: o.cwd === undefined || o.cwd === null ? null : _fsarg(o.cwd),
        ...h,
        passFds,
        closeFds: settings.closeFds,
        restoreSignals: o.restore_signals === undefined ? true : pyTruth(o.restore_signals),
        startNewSession: pyTruth(o.start_new_session),
        processGroup: o.process_group === undefined || o.process_group === null ? -1 : toCInt(o.process_group),
        umask: o.umask === undefined ? -1 : toCInt(o.umask),
        uid: settings.uid,
        gid: settings.gid,
        extraGroups: settings.gids,
      },
      // CPython 3.11 names the executable for exec's failure, the cwd for
      // any failure before exec (not only chdir's).
      { executable: executable as Filename, cwd: (o.cwd ?? null) as Filename },
    );
  }

  /** An alias of text_mode (bpo-31756); setting it sets text_mode to its truth value. */
  get universal_newlines(): string | boolean | null {
    return this.text_mode;
  }
  set universal_newlines(v: unknown) {
    this.text_mode = pyTruth(v);
  }

  /** CPython's _try_wait and _handle_exitstatus: false if the child is still running. */
  #tryWait(flags: number): boolean {
    let pid: number;
    let status: number;
    try {
      [pid, status] = reap(this.pid, flags, true);
    } catch (e) {
      if (!(e instanceof ChildProcessError)) throw e;
      // Reaped elsewhere (os.wait, os.waitpid): a vanished child counts as
      // exit status 0, as CPython's _try_wait has it.
      this.#state.reaped = true;
      this.returncode ??= 0;
      return true;
    }
    if (pid === 0) return false;
    if (posix.isTerminal(status)) this.#state.reaped = true;
    this.returncode = _returncode(status);
    return true;
  }

  /** poll(): the returncode if the child has ended, else null. Never blocks. */
  poll(...a: unknown[]): number | null {
    noArgs('python', 'Popen.poll', a);
    if (this.returncode === null) this.#tryWait(posix.WNOHANG);
    return this.returncode;
  }

  /**
   * wait(timeout=None): blocks until the child ends; with a timeout, sleeps
   * in poll(2) on a pidfd (not a sleep loop) and raises TimeoutExpired.
   */
  wait(timeout?: number | null | { timeout?: number | null }): number;
  wait(...a: unknown[]): number {
    const timeout = toTimeout(bind(WAIT_ARGS, a).timeout);
    if (this.returncode !== null) return this.returncode;
    // NaN never compares as "time is up" in CPython's loop: it just waits.
    if (timeout === null || Number.isNaN(timeout)) {
      while (this.returncode === null) this.#tryWait(0);
      return this.returncode as number;
    }
    const deadline = posix.deadlineIn(timeout * 1000);
    const pids = Int32Array.of(this.pid);
    for (;;) {
      if (this.#tryWait(posix.WNOHANG)) return this.returncode as unknown as number;
      if (performance.now() >= deadline) throw new TimeoutExpired(this.args, timeout);
      posix.waitAny(pids, deadline);
    }
  }

  /**
   * communicate(input=None, timeout=None) -> [stdout, stderr]: sends input,
   * reads both pipes to EOF and waits. poll(2) over the pipes with single
   * reads and writes of at most PIPE_BUF on blocking fds, as CPython does,
   * so full pipes in both directions never deadlock. On TimeoutExpired
   * nothing is lost: calling it again carries on where it stopped.
   */
  communicate(
    input?: Uint8Array | string | null | { input?: Uint8Array | string | null; timeout?: number | null },
    timeout?: number | null | { timeout?: number | null },
  ): [T | null, T | null];
  communicate(...a: unknown[]): [T | null, T | null] {
    const b = bind(COMMUNICATE_ARGS, a);
    const input = b.input ?? null;
    const timeout = toTimeout(b.timeout);
    if (this.#communicationStarted && pyTruth(input)) {
      throw new ValueError('Cannot send input after starting communication');
    }
    const [stdinFile, stdoutFile, stderrFile] = this.#pipes();
    const pipes = [stdinFile, stdoutFile, stderrFile].filter((f) => f !== null).length;
    if (timeout === null && !this.#communicationStarted && pipes <= 1) {
      // CPython's shortcut for a single pipe: use the file object itself, so
      // whatever it has buffered already is part of the result.
      let stdout: Buffer | string | null = null;
      let stderr: Buffer | string | null = null;
      if (stdinFile) this.#stdinWrite(input);
      else if (stdoutFile) {
        stdout = stdoutFile.read();
        stdoutFile.close();
      } else if (stderrFile) {
        stderr = stderrFile.read();
        stderrFile.close();
      }
      this.wait();
      return tuple([stdout, stderr]) as [T | null, T | null];
    }
    const endtime = timeout === null ? null : now() + timeout;
    let out: [Buffer | string | null, Buffer | string | null];
    try {
      out = this.#communicate(input, endtime, timeout);
    } finally {
      this.#communicationStarted = true;
    }
    this.wait(endtime === null ? null : endtime - now());
    return tuple(out) as [T | null, T | null];
  }

  /** Popen._stdin_write: a child that stopped reading is not an error here. */
  #stdinWrite(input: unknown): void {
    const stdin = this.#pipes()[0] as PipeFile;
    if (pyTruth(input)) {
      try {
        stdin.write(input);
      } catch (e) {
        if (!stdinGone(e)) throw e;
      }
    }
    try {
      stdin.close();
    } catch (e) {
      if (!stdinGone(e)) throw e;
    }
  }

  #checkTimeout(endtime: number | null, orig: number | null, force = false): void {
    if (endtime === null) return;
    if (force || now() > endtime) {
      const join = (f: PipeFile | null): Buffer | null => {
        const chunks = f ? this.#output.get(f) : undefined;
        return chunks && chunks.length > 0 ? Buffer.concat(chunks) : null;
      };
      const [, stdout, stderr] = this.#pipes();
      throw new TimeoutExpired(this.args, orig as number, { output: join(stdout), stderr: join(stderr) });
    }
  }

  #communicate(
    input: unknown,
    endtime: number | null,
    orig: number | null,
  ): [Buffer | string | null, Buffer | string | null] {
    const [stdin, stdout, stderr] = this.#pipes();
    if (stdin && !this.#communicationStarted) {
      // communicate() ignores BrokenPipeError: the child may have exited without reading.
      try {
        stdin.flush();
      } catch (e) {
        if (!(e instanceof BrokenPipeError)) throw e;
      }
      if (!pyTruth(input)) {
        try {
          stdin.close();
        } catch (e) {
          if (!(e instanceof BrokenPipeError)) throw e;
        }
      }
    }
    this.#prepareCommunication(stdin, stdout, stderr, input);
    const files: [PipeFile, number][] = [];
    // Registered again on a call after TimeoutExpired, while the input is
    // not all written (CPython 3.12; 3.11 asks only when given input, so its
    // second call never writes the rest and waits for a child still reading).
    if (stdin && this.#input !== null && !stdin.closed) files.push([stdin, POLLOUT]);
    if (stdout && !stdout.closed) files.push([stdout, POLLIN | POLLPRI]);
    if (stderr && !stderr.closed) files.push([stderr, POLLIN | POLLPRI]);

    while (files.length > 0) {
      const left = endtime === null ? null : endtime - now();
      if (left !== null && left < 0) this.#checkTimeout(endtime, orig, true);
      // CPython's selector turns the seconds left into ms with math.ceil.
      if (left !== null && Number.isNaN(left)) throw new ValueError('cannot convert float NaN to integer');
      if (left === Number.POSITIVE_INFINITY) throw new OverflowError('cannot convert float infinity to integer');
      const fds = Int32Array.from(files, ([f]) => f.fileno());
      const events = Int16Array.from(files, ([, ev]) => ev);
      const revents = new Int16Array(files.length);
      posix.poll(fds, events, revents, deadlineOf(endtime));
      this.#checkTimeout(endtime, orig);
      const done: PipeFile[] = [];
      files.forEach(([f], i) => {
        if (revents[i] === 0) return;
        const fd = fds[i] as number;
        if (f === stdin) {
          const data = this.#input as Buffer;
          try {
            this.#inputOffset += osWrite(fd, data.subarray(this.#inputOffset, this.#inputOffset + PIPE_BUF));
          } catch (e) {
            if (!(e instanceof BrokenPipeError)) throw e;
            done.push(f);
            return;
          }
          if (this.#inputOffset >= data.length) done.push(f);
        } else {
          const data = osRead(fd, 32768);
          // The empty read at EOF is kept too, as CPython keeps it: a
          // TimeoutExpired then has output b'' rather than None.
          this.#output.get(f)?.push(data);
          if (data.length === 0) done.push(f);
        }
      });
      for (const f of done) {
        files.splice(
          files.findIndex(([g]) => g === f),
          1,
        );
        f.close();
      }
    }

    this.wait(endtime === null ? null : endtime - now());
    return [this.#collected(stdout), this.#collected(stderr)];
  }

  /** What communicate() read from f: bytes, or text with universal newlines in text mode; null without a pipe. */
  #collected(f: PipeFile | null): Buffer | string | null {
    if (!f) return null;
    const data = Buffer.concat(this.#output.get(f) ?? []);
    return pyTruth(this.text_mode)
      ? translateNewlines(data, f.encoding ?? this.encoding, f.errors ?? this.errors)
      : data;
  }

  /** send_signal(sig): nothing if the child has already been reaped (bpo-38630). */
  send_signal(sig: number | Signal): void;
  send_signal(...a: unknown[]): void {
    // The argument is bound before anything happens, as in CPython.
    const { sig } = bind(SEND_SIGNAL_ARGS, a);
    this.poll();
    if (this.returncode !== null) return;
    signalChild(this.pid, toCInt(sig));
  }

  terminate(...a: unknown[]): void {
    noArgs('python', 'Popen.terminate', a);
    this.send_signal(SIGTERM);
  }

  kill(...a: unknown[]): void {
    noArgs('python', 'Popen.kill', a);
    this.send_signal(SIGKILL);
  }

  /** `with Popen(...) as p:` leaves by closing the pipes and waiting; `using p = new Popen(...)` here. */
  [Symbol.dispose](): void {
    try {
      this.stdout?.close();
      this.stderr?.close();
      this.stdin?.close();
    } finally {
      this.wait();
    }
  }

  /** `await using p = new Popen(...)`: closes the pipes and awaits the child (waitAsync), never blocking the event loop. */
  async [Symbol.asyncDispose](): Promise<void> {
    const [stdin, stdout, stderr] = this.#pipes();
    try {
      stdout?.close();
      stderr?.close();
      if (stdin && !stdin.closed) {
        // close() would flush, and a full pipe would block: flush in the event loop first.
        try {
          await stdin.flushAsync();
        } catch (e) {
          if (!(e instanceof BrokenPipeError)) throw e;
        }
        stdin.close();
      }
    } finally {
      await this.waitAsync();
    }
  }

  /** Python's repr(): `<Popen: returncode: None args: ['sleep', '1']>`, cut at 80 characters. */
  toString(): string {
    const rc = this.returncode === null ? 'None' : String(this.returncode);
    const r = `<Popen: returncode: ${rc} args: ${pyValueRepr(this.args)}>`;
    return r.length > 80 ? `${r.slice(0, 76)}...>` : r;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** The same as leaving a `with` block: __exit__(exc_type, value, traceback), as Python calls it. */
  __exit__(exc_type: unknown, value: unknown, traceback: unknown): void;
  __exit__(...a: unknown[]): void {
    bind(EXIT_ARGS, a);
    this[Symbol.dispose]();
  }

  // --- the awaitable twins (docs/async.md) ---------------------------------

  /**
   * waitAsync(timeout=None, { signal }): wait()'s twin. Resolves with the
   * returncode once the child ends (its pidfd is readable; no thread, no
   * timer polling); the event loop runs meanwhile. TimeoutExpired as
   * wait() raises it; an abort rejects with signal.reason and leaves the
   * child running and waitable.
   */
  waitAsync(
    timeout?: number | null | { timeout?: number | null; signal?: AbortSignal | null },
    options?: AsyncOptions,
  ): Promise<number>;
  async waitAsync(...a: unknown[]): Promise<number> {
    const [args, signal] = takeSignal(a);
    const timeout = toTimeout(bind(WAIT_ARGS, args).timeout);
    throwIfAborted(signal);
    if (this.returncode !== null) return this.returncode;
    // NaN never compares as "time is up" in CPython's loop: it just waits.
    const ms = timeout === null || Number.isNaN(timeout) ? null : timeout * 1000;
    if (ms === null) {
      await untilReaped(
        () => [this.pid],
        () => (this.#tryWait(posix.WNOHANG) ? true : null),
        { signal, sigchld: false },
      );
      return this.returncode as unknown as number;
    }
    const deadline = new Deadline(signal, ms);
    try {
      await untilReaped(
        () => [this.pid],
        () => (this.#tryWait(posix.WNOHANG) ? true : null),
        { signal: deadline.signal, sigchld: false },
      );
    } catch (e) {
      // At the deadline wait() looks once more before it raises.
      if (!deadline.timedOut()) throw e;
      if (!this.#tryWait(posix.WNOHANG)) throw new TimeoutExpired(this.args, timeout as number);
    } finally {
      deadline.dispose();
    }
    return this.returncode as unknown as number;
  }

  /**
   * communicateAsync(input=None, timeout=None, { signal }): communicate()'s
   * twin -> [stdout, stderr]. The pipes are written and read as they
   * become ready, each by its own task, so full pipes both ways never
   * deadlock; nothing blocks the event loop. TimeoutExpired as communicate()
   * raises it, with the output so far. After a timeout or an abort (which
   * rejects with signal.reason) nothing is lost: calling communicate() or
   * communicateAsync() again carries on where it stopped.
   */
  communicateAsync(
    input?:
      | Uint8Array
      | string
      | null
      | { input?: Uint8Array | string | null; timeout?: number | null; signal?: AbortSignal | null },
    timeout?: number | null | { timeout?: number | null; signal?: AbortSignal | null },
    options?: AsyncOptions,
  ): Promise<[T | null, T | null]>;
  async communicateAsync(...a: unknown[]): Promise<[T | null, T | null]> {
    const [args, signal] = takeSignal(a);
    const b = bind(COMMUNICATE_ARGS, args);
    const input = b.input ?? null;
    const timeout = toTimeout(b.timeout);
    if (this.#communicationStarted && pyTruth(input)) {
      throw new ValueError('Cannot send input after starting communication');
    }
    throwIfAborted(signal);
    const [stdinFile, stdoutFile, stderrFile] = this.#pipes();
    const pipes = [stdinFile, stdoutFile, stderrFile].filter((f) => f !== null).length;
    if (timeout === null && !this.#communicationStarted && pipes <= 1) {
      // communicate()'s single-pipe shortcut, through the file object's twins.
      let stdout: Buffer | string | null = null;
      let stderr: Buffer | string | null = null;
      if (stdinFile) await this.#stdinWriteAsync(input, signal);
      else if (stdoutFile) {
        stdout = await stdoutFile.readAsync({ signal });
        stdoutFile.close();
      } else if (stderrFile) {
        stderr = await stderrFile.readAsync({ signal });
        stderrFile.close();
      }
      await this.waitAsync({ signal });
      return tuple([stdout, stderr]) as [T | null, T | null];
    }
    const endtime = timeout === null ? null : now() + timeout;
    let out: [Buffer | string | null, Buffer | string | null];
    try {
      out = await this.#communicateAsync(input, endtime, timeout, signal);
    } finally {
      this.#communicationStarted = true;
    }
    return tuple(out) as [T | null, T | null];
  }

  /** #stdinWrite's twin: the input, then close; a child that stopped reading is not an error. */
  async #stdinWriteAsync(input: unknown, signal: AbortSignal | null): Promise<void> {
    const stdin = this.#pipes()[0] as PipeFile;
    try {
      if (pyTruth(input)) await stdin.writeAsync(input, { signal });
      await stdin.flushAsync({ signal });
    } catch (e) {
      if (!stdinGone(e)) throw e;
    }
    try {
      stdin.close();
    } catch (e) {
      if (!stdinGone(e)) throw e;
    }
  }

  /**
   * #communicate's twin: a task per pipe (stdin written, stdout and stderr
   * read to EOF), each waiting for its fd in the event loop, then waitAsync.
   * The state kept between calls (#input, #inputOffset, #output) is the
   * same, so the blocking and awaitable calls may follow each other.
   */
  async #communicateAsync(
    input: unknown,
    endtime: number | null,
    orig: number | null,
    signal: AbortSignal | null,
  ): Promise<[Buffer | string | null, Buffer | string | null]> {
    const [stdin, stdout, stderr] = this.#pipes();
    if (stdin && !this.#communicationStarted) {
      // communicate() ignores BrokenPipeError: the child may have exited without reading.
      try {
        await stdin.flushAsync({ signal });
        if (!pyTruth(input)) stdin.close();
      } catch (e) {
        if (!(e instanceof BrokenPipeError)) throw e;
      }
    }
    this.#prepareCommunication(stdin, stdout, stderr, input);
    const left = endtime === null ? null : endtime - now();
    // CPython's selector turns the seconds left into ms with math.ceil.
    if (left !== null && Number.isNaN(left)) throw new ValueError('cannot convert float NaN to integer');
    if (left === Number.POSITIVE_INFINITY) throw new OverflowError('cannot convert float infinity to integer');
    if (left !== null && left < 0) this.#checkTimeout(endtime, orig, true);
    const deadline = new Deadline(signal, left === null ? null : left * 1000);
    const tasks: Promise<void>[] = [];
    if (stdin && pyTruth(input) && !stdin.closed) tasks.push(this.#feed(stdin, deadline.signal));
    if (stdout && !stdout.closed) tasks.push(this.#drain(stdout, deadline.signal));
    if (stderr && !stderr.closed) tasks.push(this.#drain(stderr, deadline.signal));
    try {
      // The first failure (a timeout, an abort, an error) stops the other
      // tasks at their next wait; every task has settled before this returns.
      const settled = await Promise.allSettled(
        tasks.map((t) =>
          t.catch((e) => {
            deadline.cancel(e);
            throw e;
          }),
        ),
      );
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) {
        if (deadline.timedOut()) this.#checkTimeout(endtime, orig, true);
        throw (failed as PromiseRejectedResult).reason;
      }
    } finally {
      deadline.dispose();
    }
    await this.waitAsync(endtime === null ? null : endtime - now(), { signal });
    return [this.#collected(stdout), this.#collected(stderr)];
  }

  /** Writes the rest of #input to stdin as it takes it, then closes it; a reader gone (EPIPE) ends it quietly. */
  async #feed(stdin: PipeFile, signal: AbortSignal): Promise<void> {
    const data = this.#input as Buffer;
    const fd = stdin.fileno();
    try {
      while (this.#inputOffset < data.length) {
        this.#inputOffset += await posix.writeSome(fd, data.subarray(this.#inputOffset), signal);
      }
    } catch (e) {
      if (!(e instanceof BrokenPipeError)) throw e;
    }
    stdin.close();
  }

  /** Reads a pipe to EOF into #output, chunk by chunk as it comes (the empty read at EOF kept, as CPython keeps it). */
  async #drain(f: PipeFile, signal: AbortSignal): Promise<void> {
    const fd = f.fileno();
    const chunks = this.#output.get(f) as Buffer[];
    for (;;) {
      const buf = ownReadBuffer(fd, 65536);
      const k = await posix.readSome(fd, buf, signal);
      chunks.push(shrink(buf, k));
      if (k === 0) break;
    }
    f.close();
  }
}

/** A write to or close of stdin failed because the child stopped reading (Popen._stdin_write's EPIPE and EINVAL). */
function stdinGone(e: unknown): boolean {
  return e instanceof BrokenPipeError || (e instanceof OSError && e.errno === EINVAL);
}

function toBytesLike(v: unknown): Uint8Array {
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return toBytes(v);
  throw new TypeError(`memoryview: a bytes-like object is required, not '${pyTypeName(v)}'`);
}

// --- run and friends ------------------------------------------------------------

const COMPLETEDPROCESS_ARGS = signature(
  'python',
  'CompletedProcess.__init__',
  ['args', 'returncode', 'stdout', 'stderr'],
  { required: 2, self: 1 },
);

class CompletedProcess<T extends Buffer | string | null = Buffer | string | null> {
  args: unknown;
  returncode: number;
  stdout: T | null;
  stderr: T | null;

  /** CompletedProcess(args, returncode, stdout=None, stderr=None); keywords in a trailing object. */
  constructor(args: unknown, returncode: number, stdout?: T | null, stderr?: T | null);
  constructor(args: unknown, returncode: number, kwargs: { stdout?: T | null; stderr?: T | null });
  constructor(kwargs: { args: unknown; returncode: number; stdout?: T | null; stderr?: T | null });
  constructor(...a: unknown[]) {
    const b = bind(COMPLETEDPROCESS_ARGS, a);
    this.args = b.args;
    this.returncode = b.returncode as number;
    this.stdout = (b.stdout ?? null) as T | null;
    this.stderr = (b.stderr ?? null) as T | null;
  }
  /** Raises CalledProcessError if the exit code was non-zero. */
  check_returncode(...a: unknown[]): void {
    noArgs('python', 'CompletedProcess.check_returncode', a);
    if (this.returncode) throw new CalledProcessError(this.returncode, this.args, this.stdout, this.stderr);
  }
  /** Python's repr(): `CompletedProcess(args=['true'], returncode=0, stdout=b'')`. */
  toString(): string {
    const parts = [`args=${pyValueRepr(this.args)}`, `returncode=${pyValueRepr(this.returncode)}`];
    if (this.stdout !== null) parts.push(`stdout=${pyValueRepr(this.stdout)}`);
    if (this.stderr !== null) parts.push(`stderr=${pyValueRepr(this.stderr)}`);
    return `CompletedProcess(${parts.join(', ')})`;
  }
  /** console.log(cp) shows the repr too, as it does for a Popen. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export interface RunOptions extends PopenOptions {
  input?: Uint8Array | string | null;
  capture_output?: boolean;
  timeout?: number | null;
  check?: boolean;
}

/** call() and check_call(): Popen's options and a timeout. */
export interface CallOptions extends PopenOptions {
  timeout?: number | null;
}

/** check_output(): run()'s options but stdout and check, which it sets itself (ValueError if given). */
export type CheckOutputOptions = Omit<RunOptions, 'stdout' | 'check'>;

/**
 * Splits Python-style (*popenargs, **kwargs): only a trailing plain object is
 * keywords; a file object (or any other object) there is a positional argument.
 */
function splitArgs(a: unknown[]): [unknown[], Record<string, unknown>] {
  const last = a[a.length - 1];
  if (isKwargs(last)) return [a.slice(0, -1), { ...last }];
  return [a, {}];
}

/**
 * run()'s own keywords, split from Popen's, for run() and runAsync() alike:
 * `input` makes stdin a pipe and `capture_output` stdout and stderr, with
 * CPython's errors when the caller also gave those streams.
 */
function runKeywords(kwargs: Record<string, unknown>): {
  input: unknown;
  timeout: unknown;
  check: unknown;
  rest: Record<string, unknown>;
} {
  const { input = null, capture_output = false, timeout = null, check = false, ...rest } = kwargs;
  if (input !== null && input !== undefined) {
    if (rest.stdin !== undefined && rest.stdin !== null)
      throw new ValueError('stdin and input arguments may not both be used.');
    rest.stdin = PIPE;
  }
  if (pyTruth(capture_output)) {
    if ((rest.stdout !== undefined && rest.stdout !== null) || (rest.stderr !== undefined && rest.stderr !== null)) {
      throw new ValueError('stdout and stderr arguments may not be used with capture_output.');
    }
    rest.stdout = PIPE;
    rest.stderr = PIPE;
  }
  return { input, timeout, check, rest };
}

/** run(args, {input, capture_output, timeout, check, ...Popen options}) -> CompletedProcess. */
export function run<const O extends RunOptions = NoKeywords>(
  args: Args,
  options?: O & OnlyKeys<O, RunOptions>,
): CompletedProcess<DataOf<O>>;
export function run(args: Args, ...positional: PopenPositional): CompletedProcess<Buffer>;
export function run(...a: unknown[]): CompletedProcess {
  const [popenargs, kwargs] = splitArgs(a);
  const { input, timeout, check, rest } = runKeywords(kwargs);
  const p = new Popen(...(popenargs as [Args]), rest);
  let stdout: Buffer | string | null;
  let stderr: Buffer | string | null;
  let retcode: number;
  try {
    try {
      [stdout, stderr] = p.communicate(input as Uint8Array | string | null, timeout as number | null);
    } catch (e) {
      p.kill();
      // communicate has already put the output so far into TimeoutExpired.
      if (e instanceof TimeoutExpired) p.wait();
      throw e;
    }
    retcode = p.poll() as number;
  } finally {
    p[Symbol.dispose]();
  }
  if (pyTruth(check) && retcode) throw new CalledProcessError(retcode, p.args, { output: stdout, stderr });
  return new CompletedProcess(p.args, retcode, stdout, stderr);
}

/** call(args, {timeout, ...}) -> returncode. */
export function call<const O extends CallOptions = NoKeywords>(
  args: Args,
  options?: O & OnlyKeys<O, CallOptions>,
): number;
export function call(args: Args, ...positional: PopenPositional): number;
export function call(...a: unknown[]): number {
  const [popenargs, kwargs] = splitArgs(a);
  const { timeout = null, ...rest } = kwargs;
  const p = new Popen(...(popenargs as [Args]), rest);
  try {
    return p.wait(timeout as number | null);
  } catch (e) {
    p.kill();
    throw e;
  } finally {
    p[Symbol.dispose]();
  }
}

/** check_call(args, ...) -> 0, or CalledProcessError. */
export function check_call<const O extends CallOptions = NoKeywords>(
  args: Args,
  options?: O & OnlyKeys<O, CallOptions>,
): 0;
export function check_call(args: Args, ...positional: PopenPositional): 0;
export function check_call(...a: unknown[]): 0 {
  const retcode = call(...(a as [Args]));
  if (retcode) {
    const [popenargs, kwargs] = splitArgs(a);
    throw new CalledProcessError(retcode, kwargs.args ?? popenargs[0]);
  }
  return 0;
}

/** check_output(args, {input, timeout, ...}) -> stdout; CalledProcessError on a non-zero exit. */
export function check_output<const O extends CheckOutputOptions = NoKeywords>(
  args: Args,
  options?: O & OnlyKeys<O, CheckOutputOptions>,
): DataOf<O>;
export function check_output(args: Args, ...positional: PopenPositional): Buffer;
export function check_output(...a: unknown[]): Buffer | string {
  const [popenargs, kwargs] = splitArgs(a);
  for (const k of ['stdout', 'check']) {
    if (k in kwargs) throw new ValueError(`${k} argument not allowed, it will be overridden.`);
  }
  if ('input' in kwargs && (kwargs.input === null || kwargs.input === undefined)) {
    const text = ['universal_newlines', 'text', 'encoding', 'errors'].some((k) => pyTruth(kwargs[k]));
    kwargs.input = text ? '' : Buffer.alloc(0);
  }
  return run(...(popenargs as [Args]), { ...kwargs, stdout: PIPE, check: true }).stdout as Buffer | string;
}

type OutputOptions = { encoding?: string | null; errors?: string | null };
/** getstatusoutput(cmd, *, encoding=None, errors=None), and getoutput. */
const outputArgs = (name: string) =>
  signature('python', name, ['cmd', 'encoding', 'errors'], { required: 1, maxPositional: 1 });
const GETSTATUSOUTPUT_ARGS = outputArgs('getstatusoutput');
const GETOUTPUT_ARGS = outputArgs('getoutput');

/** getstatusoutput(cmd) -> [exitcode, output]: cmd run by /bin/sh, stderr folded into the output, one trailing newline dropped. */
export function getstatusoutput(cmd: string | Uint8Array, options?: OutputOptions): [number, string];
export function getstatusoutput(...a: unknown[]): [number, string] {
  // getstatusoutput(cmd, *, encoding=None, errors=None) in Python: a
  // misspelt option is a TypeError there, not ignored.
  const b = bind(GETSTATUSOUTPUT_ARGS, a);
  return statusOutput(b);
}

function statusOutput(b: Record<string, unknown>): [number, string] {
  let data: string;
  let exitcode: number;
  try {
    data = check_output(b.cmd as string, {
      shell: true,
      text: true,
      stderr: STDOUT,
      encoding: (b.encoding ?? null) as string | null,
      errors: (b.errors ?? null) as string | null,
    }) as string;
    exitcode = 0;
  } catch (e) {
    if (!(e instanceof CalledProcessError)) throw e;
    data = e.output as string;
    exitcode = e.returncode;
  }
  if (data.endsWith('\n')) data = data.slice(0, -1);
  return [exitcode, data];
}

/** getoutput(cmd) -> the output of getstatusoutput(cmd). */
export function getoutput(cmd: string | Uint8Array, options?: OutputOptions): string;
export function getoutput(...a: unknown[]): string {
  const b = bind(GETOUTPUT_ARGS, a);
  return statusOutput(b)[1];
}

const LIST2CMDLINE_ARGS = signature('python', 'list2cmdline', ['seq'], { required: 1 });

/** os.fsdecode: a str as it is, bytes as UTF-8 with surrogateescape, a file: URL as its path. */
function fsdecode(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return utf8DecodeEscape(v);
  if (v instanceof URL && v.protocol === 'file:') return fileURLToPath(v);
  throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(v)}`);
}

/**
 * list2cmdline(seq): a command line from a sequence of arguments, quoted
 * by the MS C runtime's rules (Windows' CreateProcess reads them so; CPython
 * keeps the function on every platform): an argument with a space or a tab,
 * or an empty one, is put in double quotes; a double quote is escaped with a
 * backslash, and the backslashes before it are doubled; other backslashes
 * are left alone.
 */
export function list2cmdline(seq: Iterable<string | Uint8Array | URL>): string;
export function list2cmdline(...a: unknown[]): string {
  const { seq } = bind(LIST2CMDLINE_ARGS, a);
  const result: string[] = [];
  for (const item of pyIter(seq)) {
    const arg = fsdecode(item);
    if (result.length > 0) result.push(' ');
    const needquote = arg.includes(' ') || arg.includes('\t') || arg === '';
    if (needquote) result.push('"');
    let backslashes = 0;
    for (const c of arg) {
      if (c === '\\') {
        // Whether they need doubling depends on what follows.
        backslashes++;
      } else if (c === '"') {
        result.push('\\'.repeat(backslashes * 2), '\\"');
        backslashes = 0;
      } else {
        if (backslashes > 0) result.push('\\'.repeat(backslashes));
        backslashes = 0;
        result.push(c);
      }
    }
    if (backslashes > 0) result.push('\\'.repeat(backslashes));
    // Before the closing quote they are doubled, so that it stays a quote.
    if (needquote) result.push('\\'.repeat(backslashes), '"');
  }
  return result.join('');
}

export const _USE_VFORK = true;

/** For tests and os.waitpid: reap children left by garbage-collected Popen objects now. */
export function _cleanup(): void {
  cleanup();
}

// --- the awaitable twins of run and friends (docs/async.md) ---------------------

/**
 * runAsync(args, { input, capture_output, timeout, check, signal, ...Popen
 * options }): run()'s twin -> CompletedProcess. The child starts as run()
 * starts it; its output is read and its exit awaited in the event loop. On
 * a timeout or an abort (which rejects with signal.reason) the child is
 * killed and awaited, as run() kills it.
 */
export function runAsync(args: Args, options?: RunOptions & AsyncOptions): Promise<CompletedProcess>;
export function runAsync(args: Args, ...popenargs: unknown[]): Promise<CompletedProcess>;
export async function runAsync(...a: unknown[]): Promise<CompletedProcess> {
  const [rest0, signal] = takeSignal(a);
  const [popenargs, kwargs] = splitArgs(rest0);
  const { input, timeout, check, rest } = runKeywords(kwargs);
  throwIfAborted(signal);
  const p = new Popen(...(popenargs as [Args]), rest);
  let stdout: Buffer | string | null;
  let stderr: Buffer | string | null;
  let retcode: number;
  try {
    try {
      [stdout, stderr] = await p.communicateAsync(input as Uint8Array | string | null, timeout as number | null, {
        signal,
      });
    } catch (e) {
      // As run(): whatever went wrong, the child does not outlive the call.
      p.kill();
      throw e;
    }
    retcode = p.poll() as number;
  } finally {
    await p[Symbol.asyncDispose]();
  }
  if (pyTruth(check) && retcode) throw new CalledProcessError(retcode, p.args, { output: stdout, stderr });
  return new CompletedProcess(p.args, retcode, stdout, stderr);
}

/** callAsync(args, { timeout, signal, ... }): call()'s twin -> returncode. */
export function callAsync(
  args: Args,
  options?: PopenOptions & { timeout?: number | null } & AsyncOptions,
): Promise<number>;
export function callAsync(args: Args, ...popenargs: unknown[]): Promise<number>;
export async function callAsync(...a: unknown[]): Promise<number> {
  const [rest0, signal] = takeSignal(a);
  const [popenargs, kwargs] = splitArgs(rest0);
  const { timeout = null, ...rest } = kwargs;
  throwIfAborted(signal);
  const p = new Popen(...(popenargs as [Args]), rest);
  try {
    return await p.waitAsync(timeout as number | null, { signal });
  } catch (e) {
    p.kill();
    throw e;
  } finally {
    await p[Symbol.asyncDispose]();
  }
}

/** check_callAsync(args, ...): check_call()'s twin -> 0, or CalledProcessError. */
export function check_callAsync(
  args: Args,
  options?: PopenOptions & { timeout?: number | null } & AsyncOptions,
): Promise<0>;
export function check_callAsync(args: Args, ...popenargs: unknown[]): Promise<0>;
export async function check_callAsync(...a: unknown[]): Promise<0> {
  const retcode = await callAsync(...(a as [Args]));
  if (retcode) {
    const [popenargs, kwargs] = splitArgs(takeSignal(a)[0]);
    throw new CalledProcessError(retcode, kwargs.args ?? popenargs[0]);
  }
  return 0;
}

/** check_outputAsync(args, { input, timeout, signal, ... }): check_output()'s twin -> stdout. */
export function check_outputAsync(args: Args, options?: RunOptions & AsyncOptions): Promise<Buffer | string>;
export function check_outputAsync(args: Args, ...popenargs: unknown[]): Promise<Buffer | string>;
export async function check_outputAsync(...a: unknown[]): Promise<Buffer | string> {
  const [rest0, signal] = takeSignal(a);
  const [popenargs, kwargs] = splitArgs(rest0);
  for (const k of ['stdout', 'check']) {
    if (k in kwargs) throw new ValueError(`${k} argument not allowed, it will be overridden.`);
  }
  if ('input' in kwargs && (kwargs.input === null || kwargs.input === undefined)) {
    const text = ['universal_newlines', 'text', 'encoding', 'errors'].some((k) => pyTruth(kwargs[k]));
    kwargs.input = text ? '' : Buffer.alloc(0);
  }
  const cp = await runAsync(...(popenargs as [Args]), { ...kwargs, stdout: PIPE, check: true, signal });
  return cp.stdout as Buffer | string;
}
// The classes as the module exports them: pyclass twins (lib/pyclass.ts),
// so `subprocess.Popen(args)` works without new, as in Python.
/**
 * The exported Popen's type: constructed or called, with the options as
 * one typed object (a misspelt keyword is a type error) whose text-mode
 * keywords decide what the pipes carry (DataOf), or with CPython's
 * positional parameters after args (PopenPositional).
 */
interface PopenClass {
  new <const O extends PopenOptions = NoKeywords>(
    args: Args,
    options?: O & OnlyKeys<O, PopenOptions>,
  ): Popen<DataOf<O>>;
  new (args: Args, ...positional: PopenPositional): Popen<Buffer>;
  <const O extends PopenOptions = NoKeywords>(args: Args, options?: O & OnlyKeys<O, PopenOptions>): Popen<DataOf<O>>;
  (args: Args, ...positional: PopenPositional): Popen<Buffer>;
  readonly prototype: Popen;
}
const Popen_ = pyclass(Popen) as unknown as PopenClass;
type Popen_<T extends Buffer | string = Buffer | string> = Popen<T>;

/** The exported CompletedProcess's type: generic in what stdout and stderr hold, called or constructed. */
interface CompletedProcessClass {
  new <T extends Buffer | string | null = Buffer | string | null>(
    args: unknown,
    returncode: number,
    stdout?: T | null,
    stderr?: T | null,
  ): CompletedProcess<T>;
  new <T extends Buffer | string | null = Buffer | string | null>(
    args: unknown,
    returncode: number,
    kwargs: { stdout?: T | null; stderr?: T | null },
  ): CompletedProcess<T>;
  new <T extends Buffer | string | null = Buffer | string | null>(kwargs: {
    args: unknown;
    returncode: number;
    stdout?: T | null;
    stderr?: T | null;
  }): CompletedProcess<T>;
  <T extends Buffer | string | null = Buffer | string | null>(
    args: unknown,
    returncode: number,
    stdout?: T | null,
    stderr?: T | null,
  ): CompletedProcess<T>;
  <T extends Buffer | string | null = Buffer | string | null>(
    args: unknown,
    returncode: number,
    kwargs: { stdout?: T | null; stderr?: T | null },
  ): CompletedProcess<T>;
  <T extends Buffer | string | null = Buffer | string | null>(kwargs: {
    args: unknown;
    returncode: number;
    stdout?: T | null;
    stderr?: T | null;
  }): CompletedProcess<T>;
  readonly prototype: CompletedProcess;
}
const CompletedProcess_ = pyclass(CompletedProcess) as unknown as CompletedProcessClass;
type CompletedProcess_<T extends Buffer | string | null = Buffer | string | null> = CompletedProcess<T>;
const CalledProcessError_ = pyclass(CalledProcessError);
type CalledProcessError_ = CalledProcessError;
const TimeoutExpired_ = pyclass(TimeoutExpired);
type TimeoutExpired_ = TimeoutExpired;

export {
  CalledProcessError_ as CalledProcessError,
  CompletedProcess_ as CompletedProcess,
  Popen_ as Popen,
  TimeoutExpired_ as TimeoutExpired,
};
