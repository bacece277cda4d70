// multiprocessing's Process with the fork start method: CPython 3.11's
// Lib/multiprocessing/process.py (BaseProcess, _bootstrap), popen_fork.py
// (the fork, the sentinel pipes, poll/wait/terminate) and util.py
// (_exit_function: daemons terminated and children joined at exit), on
// pipefork's os.fork(). The child runs the target synchronously and
// _exits: what it may do is docs/fork.md's list.
//
// Children are reaped through lib/children.ts, by pid, never waitpid(-1).
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { inspect } from 'node:util';
import { reap, signalChild } from '../children.js';
import { bind, isKwargs, pyTypeName, signature } from '../convert.js';
import {
  AssertionError,
  exitStatus,
  NotImplementedError,
  OSError,
  pyStr,
  pyValueRepr,
  RuntimeError,
  SystemExit,
  ValueError,
} from '../errors.js';
import { fork } from '../fork.js';
import { open } from '../io/open.js';
import * as posix from '../posix/index.js';
import { SIGKILL, SIGTERM, Signals } from '../signal.js';
import sys, { _flushStdStreams } from '../sys.js';
import { wait } from './connection.js';

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new AssertionError(message);
}

// --- the process tree, as process.py keeps it --------------------------------------

/** itertools.count(1): the number the next Process made here gets. */
let processCounter = 1;
/** The Process objects started here and not yet known to have ended. */
let children = new Set<BaseProcess>();

interface Config {
  authkey: Buffer;
  daemon?: unknown;
}

// --- Popen for the fork start method -------------------------------------------------

/** The fds a Popen holds, closed by close() or, as CPython's Finalize does, when its Process is collected. */
interface PopenFds {
  sentinel: number;
  /** -1 once the child has been reaped (it no longer needs to see this process end). */
  parentW: number;
  closed: boolean;
}

function closeFds(fds: PopenFds): void {
  if (fds.closed) return;
  fds.closed = true;
  posix.closeQuietly(fds.sentinel);
  if (fds.parentW >= 0) posix.closeQuietly(fds.parentW);
}

const collected = new FinalizationRegistry<PopenFds>(closeFds);

/** popen_fork.Popen: forks in its constructor; the child runs process._bootstrap() and _exits. */
class ForkPopen {
  readonly method = 'fork';
  readonly pid: number;
  returncode: number | null = null;
  readonly sentinel: number;
  readonly #fds: PopenFds;

  constructor(processObj: BaseProcess) {
    _flushStdStreams();
    // parent_r becomes readable (EOF) when the child and everything it
    // forked have exited; child_r when this process has.
    const [parentR, childW] = posix.pipe2(posix.O_CLOEXEC, 'pipe');
    let childR: number;
    let parentW: number;
    try {
      [childR, parentW] = posix.pipe2(posix.O_CLOEXEC, 'pipe');
    } catch (e) {
      posix.closeQuietly(parentR);
      posix.closeQuietly(childW);
      throw e;
    }
    let pid: number;
    try {
      pid = fork(() => {
        posix.closeQuietly(parentR);
        posix.closeQuietly(parentW);
        return processObj._bootstrap(childR);
      });
    } catch (e) {
      posix.closeQuietly(parentR);
      posix.closeQuietly(parentW);
      throw e;
    } finally {
      posix.closeQuietly(childW);
      posix.closeQuietly(childR);
    }
    this.pid = pid;
    this.sentinel = parentR;
    this.#fds = { sentinel: parentR, parentW, closed: false };
    collected.register(processObj, this.#fds, this.#fds);
  }

  /** The exit code (negative: the signal that killed it), or null while it runs. Never raises, as CPython's. */
  poll(flag: number = posix.WNOHANG): number | null {
    if (this.returncode === null) {
      let pid: number;
      let status: number;
      try {
        [pid, status] = reap(this.pid, flag, true);
      } catch (e) {
        if (e instanceof OSError) return null; // "Child process not yet created" (ECHILD)
        throw e;
      }
      if (pid === this.pid) {
        this.returncode = posix.exited(status) ? posix.highByte(status) : -posix.termSig(status);
        // The child can no longer watch for this process's end.
        posix.closeQuietly(this.#fds.parentW);
        this.#fds.parentW = -1;
      }
    }
    return this.returncode;
  }

  wait(timeout: number | null = null): number | null {
    if (this.returncode === null) {
      if (timeout !== null && wait([this.sentinel], timeout).length === 0) return null;
      // This does not block once the sentinel said the child has ended.
      return this.poll(timeout === 0 ? posix.WNOHANG : 0);
    }
    return this.returncode;
  }

  #sendSignal(sig: number): void {
    if (this.returncode !== null) return;
    try {
      signalChild(this.pid, sig); // a child already reaped, or gone (ESRCH), is left alone
    } catch (e) {
      if (this.wait(0.1) === null) throw e;
    }
  }

  terminate(): void {
    this.#sendSignal(SIGTERM);
  }

  kill(): void {
    this.#sendSignal(SIGKILL);
  }

  close(): void {
    collected.unregister(this.#fds);
    closeFds(this.#fds);
  }
}

// --- BaseProcess ----------------------------------------------------------------------

const INIT = signature('python', 'BaseProcess.__init__', ['group', 'target', 'name', 'args', 'kwargs', 'daemon'], {
  maxPositional: 5,
  self: 1,
  mappings: ['kwargs'],
});
const JOIN = signature('python', 'BaseProcess.join', ['timeout'], { self: 1 });

/** The options of `new Process({ ... })`, as Process's keyword arguments. */
export interface ProcessOptions {
  group?: null;
  // biome-ignore lint/suspicious/noExplicitAny: the target takes whatever args and kwargs give it
  target?: ((...args: any[]) => unknown) | null;
  name?: string | null;
  args?: Iterable<unknown>;
  kwargs?: Record<string, unknown>;
  daemon?: boolean | null;
}

/** CPython's names for the exit codes of signal deaths ('-SIGTERM'), as Process's repr shows them. */
function exitcodeName(code: number): string {
  if (code >= 0) return String(code);
  if (-code === 29 && process.platform === 'linux') return '-SIGPOLL'; // the module's last name for 29
  try {
    return `-${Signals(-code).name}`;
  } catch {
    return String(code);
  }
}

function toArgs(v: unknown): unknown[] {
  if (v === undefined) return [];
  if (v === null || typeof (v as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`'${pyTypeName(v)}' object is not iterable`);
  }
  return Array.from(v as Iterable<unknown>);
}

function toKwargs(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) {
    if (v === null) throw new TypeError("'NoneType' object is not iterable");
    return {};
  }
  if (v instanceof Map) return Object.fromEntries(v);
  if (isKwargs(v)) return { ...v };
  throw new TypeError(`'${pyTypeName(v)}' object is not iterable`);
}

/**
 * What every process object shares (CPython's BaseProcess): the main
 * process, the parent seen from a child, and Process.
 */
export class BaseProcess {
  _identity: number[];
  _config: Config;
  _parent_pid: number | null;
  _parent_name: string | null;
  _popen: ForkPopen | null = null;
  _closed = false;
  _target: ((...args: unknown[]) => unknown) | null = null;
  _args: unknown[] = [];
  _kwargs: Record<string, unknown> = {};
  _name: string;
  _sentinel: number | undefined;

  constructor(options?: ProcessOptions);
  constructor(
    group?: null,
    target?: ProcessOptions['target'],
    name?: string | null,
    args?: Iterable<unknown>,
    kwargs?: Record<string, unknown>,
    options?: { daemon?: boolean | null },
  );
  constructor(...args: unknown[]) {
    // _MainProcess and _ParentProcess build themselves (below) without this.
    if (args[0] === INTERNAL) {
      this._identity = [];
      this._config = { authkey: Buffer.alloc(0) };
      this._parent_pid = null;
      this._parent_name = null;
      this._name = '';
      return;
    }
    const a = bind(INIT, args);
    assert(a.group === undefined || a.group === null, 'group argument must be None for now');
    const count = processCounter++;
    this._identity = [...currentProcess._identity, count];
    this._config = { ...currentProcess._config };
    this._parent_pid = posix.getpid();
    this._parent_name = currentProcess.name;
    this._target = (a.target ?? null) as BaseProcess['_target'];
    this._args = toArgs(a.args);
    this._kwargs = toKwargs(a.kwargs);
    this._name = (a.name as string) || `${new.target.name}-${this._identity.join(':')}`;
    if (a.daemon !== undefined && a.daemon !== null) this.daemon = a.daemon as boolean;
  }

  _check_closed(): void {
    if (this._closed) throw new ValueError('process object is closed');
  }

  /** What the child runs: the target with args and kwargs (kwargs as a trailing object, when there are any). Override it in a subclass. */
  run(): unknown {
    if (this._target) {
      const kw = this._kwargs;
      return Object.keys(kw).length > 0 ? this._target(...this._args, kw) : this._target(...this._args);
    }
    return undefined;
  }

  _Popen(_process: BaseProcess): ForkPopen {
    throw new NotImplementedError();
  }

  /** Starts the child (os.fork): it runs run() and exits with its outcome. */
  start(): void {
    this._check_closed();
    assert(this._popen === null, 'cannot start a process twice');
    assert(this._parent_pid === posix.getpid(), 'can only start a process object created by current process');
    assert(!currentProcess._config.daemon, 'daemonic processes are not allowed to have children');
    cleanup();
    this._popen = this._Popen(this);
    this._sentinel = this._popen.sentinel;
    this._target = null;
    this._args = [];
    this._kwargs = {};
    children.add(this);
    watchExit();
  }

  /** Sends SIGTERM (nothing once it has been reaped). */
  terminate(): void {
    this._check_closed();
    this.#started('terminate').terminate();
  }

  /** Sends SIGKILL (nothing once it has been reaped). */
  kill(): void {
    this._check_closed();
    this.#started('kill').kill();
  }

  /** _popen, which is None before start(): Python's AttributeError then (a TypeError here, as JS has none). */
  #started(method: string): ForkPopen {
    if (this._popen === null) throw new TypeError(`'NoneType' object has no attribute '${method}'`);
    return this._popen;
  }

  /** Waits for the child to end, at most timeout seconds (null: for ever). */
  join(timeout?: number | null): void;
  join(...args: unknown[]): void {
    const a = bind(JOIN, args);
    this._check_closed();
    assert(this._parent_pid === posix.getpid(), 'can only join a child process');
    assert(this._popen !== null, 'can only join a started process');
    const res = this._popen.wait(timeoutArg(a.timeout));
    if (res !== null) children.delete(this);
  }

  is_alive(): boolean {
    this._check_closed();
    if (this === currentProcess) return true;
    assert(this._parent_pid === posix.getpid(), 'can only test a child process');
    if (this._popen === null) return false;
    if (this._popen.poll() === null) return true;
    children.delete(this);
    return false;
  }

  /** Releases the sentinel's fds; ValueError while the child still runs. */
  close(): void {
    if (this._popen !== null) {
      if (this._popen.poll() === null) {
        throw new ValueError(
          'Cannot close a process while it is still running. You should first call join() or terminate().',
        );
      }
      this._popen.close();
      this._popen = null;
      this._sentinel = undefined;
      children.delete(this);
    }
    this._closed = true;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  get name(): string {
    return this._name;
  }

  set name(name: string) {
    assert(typeof name === 'string', 'name must be a string');
    this._name = name;
  }

  /** Daemon children are terminated when their parent exits; they may not start children. */
  get daemon(): boolean {
    return (this._config.daemon ?? false) as boolean;
  }

  set daemon(daemonic: boolean) {
    assert(this._popen === null, 'process has already started');
    this._config.daemon = daemonic;
  }

  get authkey(): Buffer {
    return this._config.authkey;
  }

  set authkey(authkey: Uint8Array) {
    if (!(authkey instanceof Uint8Array))
      throw new TypeError(`cannot convert '${pyTypeName(authkey)}' object to bytes`);
    this._config.authkey = Buffer.from(authkey);
  }

  /** The exit code once it has ended (negative: killed by that signal), else null. */
  get exitcode(): number | null {
    this._check_closed();
    if (this._popen === null) return null;
    return this._popen.poll();
  }

  get ident(): number | null {
    this._check_closed();
    if (this === currentProcess) return posix.getpid();
    return this._popen === null ? null : this._popen.pid;
  }

  get pid(): number | null {
    return this.ident;
  }

  /** An fd that becomes readable when the child ends (for connection.wait). */
  get sentinel(): number {
    this._check_closed();
    if (this._sentinel === undefined) throw new ValueError('process not started');
    return this._sentinel;
  }

  /** Python's repr(): <Process name='Process-1' pid=4242 parent=4241 started daemon>. */
  toString(): string {
    let exitcode: number | null = null;
    let status: string;
    if (this === currentProcess) status = 'started';
    else if (this._closed) status = 'closed';
    else if (this._parent_pid !== posix.getpid()) status = 'unknown';
    else if (this._popen === null) status = 'initial';
    else {
      exitcode = this._popen.poll();
      status = exitcode !== null ? 'stopped' : 'started';
    }
    const info = [this.constructor.name, `name=${pyValueRepr(this._name)}`];
    if (this._popen !== null) info.push(`pid=${this._popen.pid}`);
    info.push(`parent=${this._parent_pid === null ? 'None' : this._parent_pid}`);
    info.push(status);
    if (exitcode !== null) info.push(`exitcode=${exitcodeName(exitcode)}`);
    if (this.daemon) info.push('daemon');
    return `<${info.join(' ')}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** The child's side (process.py's _bootstrap): run(), then the exit code _exit gets. */
  _bootstrap(parentSentinel: number): number {
    let exitcode = 1;
    try {
      processCounter = 1;
      children = new Set();
      closeStdin();
      currentProcess = this;
      parentProcess = new _ParentProcess(this._parent_name ?? '', this._parent_pid ?? 0, parentSentinel);
      afterFork();
      try {
        const r = this.run();
        if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
          throw new TypeError(
            'the process target returned a Promise: a forked child runs synchronous code only and cannot wait ' +
              'for async work (docs/fork.md)',
          );
        }
        exitcode = 0;
      } finally {
        exitFunction();
      }
    } catch (e) {
      if (e instanceof SystemExit) {
        const code = e.code;
        if (code === null || code === undefined) exitcode = 0;
        else if (typeof code === 'boolean' || typeof code === 'bigint' || Number.isInteger(code)) {
          exitcode = exitStatus(code).status;
        } else {
          writeStderr(`${pyStr(code)}\n`);
          exitcode = 1;
        }
      } else {
        exitcode = 1;
        writeStderr(`Process ${this.name}:\n${inspect(e)}\n`);
      }
    } finally {
      _flushStdStreams();
    }
    return exitcode;
  }
}

/** A marker that lets the two internal subclasses build a BaseProcess without binding arguments. */
const INTERNAL = Symbol('internal');

/** The Process class users make: BaseProcess with the fork start method. */
export class Process extends BaseProcess {
  override _Popen(process: BaseProcess): ForkPopen {
    return new ForkPopen(process);
  }
}

/** current_process() in the main process. */
class _MainProcess extends BaseProcess {
  constructor() {
    super(INTERNAL as never);
    this._name = 'MainProcess';
    this._config = { authkey: randomBytes(32) };
  }

  override close(): void {}
}

/** parent_process() in a child: its pid and name, and a sentinel that is readable once it has exited. */
class _ParentProcess extends BaseProcess {
  readonly #pid: number;

  constructor(name: string, pid: number, sentinel: number) {
    super(INTERNAL as never);
    this._name = name;
    this.#pid = pid;
    this._sentinel = sentinel;
    this._config = {} as Config;
  }

  override is_alive(): boolean {
    return wait([this._sentinel as number], 0).length === 0;
  }

  override get ident(): number {
    return this.#pid;
  }

  override get pid(): number {
    return this.#pid;
  }

  /** Waits for the parent to exit, at most timeout seconds. */
  override join(timeout?: number | null): void;
  override join(...args: unknown[]): void {
    const a = bind(JOIN, args);
    wait([this._sentinel as number], timeoutArg(a.timeout));
  }
}

/** join()'s timeout: seconds or null; anything else as wait() refuses it. */
function timeoutArg(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean' || typeof v === 'bigint') return Number(v);
  throw new TypeError(`unsupported operand type(s) for +: 'float' and '${pyTypeName(v)}'`);
}

let currentProcess: BaseProcess = new _MainProcess();
let parentProcess: BaseProcess | null = null;

/** The process object of the running process ('MainProcess' in the program Node started). */
export function current_process(): BaseProcess {
  return currentProcess;
}

/** In a child started by Process, its parent (pid, name, is_alive, join); null in the main process. */
export function parent_process(): BaseProcess | null {
  return parentProcess;
}

/** process.py's _cleanup(): forgets children known to have ended. */
function cleanup(): void {
  for (const p of [...children]) {
    if (p._popen !== null && p._popen.poll() !== null) children.delete(p);
  }
}

/** The children started here that are still alive (each is polled, and reaped if it has ended). */
export function active_children(): BaseProcess[] {
  cleanup();
  return [...children];
}

// --- the child's setup and everyone's exit ----------------------------------------------

/**
 * util._close_stdin(): the child reads sys.stdin from /dev/null, so a child
 * cannot steal the parent's input (fd 0 itself stays open, as in CPython).
 */
function closeStdin(): void {
  try {
    const fd = posix.open('/dev/null', posix.O_RDONLY, 0);
    try {
      sys.stdin = open(fd, 'r', { encoding: 'utf-8', closefd: false });
    } catch (e) {
      posix.closeQuietly(fd);
      throw e;
    }
  } catch {
    // CPython: except (OSError, ValueError): pass
  }
}

/** sys.stderr.write(text), as CPython's _bootstrap reports a failed target. */
function writeStderr(text: string): void {
  const f = sys.stderr as { write?(s: string): unknown; flush?(): unknown } | null;
  if (f === null || f === undefined) return;
  try {
    f.write?.(text);
    f.flush?.();
  } catch {
    // Nowhere left to report it.
  }
}

let exiting = false;
let watching = false;

/** util._exit_function(): terminate the daemon children, then join every child. */
function exitFunction(): void {
  if (exiting) return;
  exiting = true;
  for (const p of active_children()) {
    if (p.daemon) p._popen?.terminate();
  }
  for (const p of active_children()) p.join();
}

/** Runs exitFunction at this process's exit (atexit in CPython), once a child has been started. */
function watchExit(): void {
  if (watching) return;
  watching = true;
  process.on('exit', exitFunction);
}

/** In the child: os.fork() removed the parent's 'exit' listeners; this process starts with none of its own. */
function afterFork(): void {
  exiting = false;
  watching = false;
}

// --- the start method and the machine ------------------------------------------------------

/** 'fork': the only start method pipefork has (Node cannot re-run a module in a fresh interpreter as spawn does). */
export function get_start_method(allow_none?: boolean): string {
  void allow_none;
  return 'fork';
}

export function get_all_start_methods(): string[] {
  return ['fork'];
}

/** Accepts 'fork' (and null with force, which changes nothing); any other method is a ValueError. */
export function set_start_method(method: string | null, force?: boolean | { force?: boolean }): void {
  const f = isKwargs(force) ? force.force : force;
  if (method === null && f) return;
  if (method !== 'fork') throw new ValueError(`cannot find context for ${pyValueRepr(method)}`);
  if (startMethodSet && !f) throw new RuntimeError('context has already been set');
  startMethodSet = true;
}

let startMethodSet = false;

/** The number of CPUs in the system (os.cpu_count()). */
export function cpu_count(): number {
  const n = cpus().length;
  if (n === 0) throw new NotImplementedError('cannot determine number of cpus');
  return n;
}
