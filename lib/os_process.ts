// os: processes (fork aside, see lib/fork.ts): exec*, _exit, waitpid, kill, ...
import { constants as osConstants } from 'node:os';
import { children, untrackChild } from './children.js';
import { bindArgs, pyTypeName, toCInt, toInt } from './convert.js';
import { OverflowError, oserror, ValueError } from './errors.js';
import { native } from './native.js';
import { Signal } from './signal.js';

const PC = native.processConstants;
export const WNOHANG: number = PC.WNOHANG;
export const WUNTRACED: number = PC.WUNTRACED;
export const WCONTINUED: number = PC.WCONTINUED;

const ECHILD = osConstants.errno.ECHILD;

/** Python's default search path when PATH is unset (os.defpath). */
export const defpath = '/bin:/usr/bin';
export const pathsep = ':';

/** _exit(code): end the process at once, no handlers, no flushing (as in Python). */
export function _exit(n: number): never {
  return native._exit(toCInt(n));
}

export function getpid(): number {
  return native.getpid();
}

export function getppid(): number {
  return native.getppid();
}

// --- argument converters -------------------------------------------------

/** A pid_t or a C int given to an old-style (PyArg 'i') parser: its own overflow wording. */
function toPid(v: unknown): number {
  if (typeof v === 'number' && (v | 0) === v) return v;
  const n = toInt(v);
  if (n > 2 ** 31 - 1) throw new OverflowError('signed integer is greater than maximum');
  if (n < -(2 ** 31)) throw new OverflowError('signed integer is less than minimum');
  return Number(n);
}

/** A signal number: an int or a signal.Signals member (an IntEnum in Python). */
function toSignal(v: unknown): unknown {
  return v instanceof Signal ? v.value : v;
}

// --- wait status ---------------------------------------------------------

function statusArg(func: string, args: unknown[]): number {
  return toCInt(bindArgs(func, ['status'], args, 1).status);
}

export function WIFEXITED(status: number): boolean;
export function WIFEXITED(...args: unknown[]): boolean {
  return (statusArg('WIFEXITED', args) & 0x7f) === 0;
}
export function WEXITSTATUS(status: number): number;
export function WEXITSTATUS(...args: unknown[]): number {
  return (statusArg('WEXITSTATUS', args) >> 8) & 0xff;
}
export function WIFSIGNALED(status: number): boolean;
export function WIFSIGNALED(...args: unknown[]): boolean {
  // glibc: ((signed char) ((status & 0x7f) + 1) >> 1) > 0
  const s = statusArg('WIFSIGNALED', args);
  return (((s & 0x7f) + 1) << 24) >> 25 > 0;
}
export function WTERMSIG(status: number): number;
export function WTERMSIG(...args: unknown[]): number {
  return statusArg('WTERMSIG', args) & 0x7f;
}
export function WIFSTOPPED(status: number): boolean;
export function WIFSTOPPED(...args: unknown[]): boolean {
  return (statusArg('WIFSTOPPED', args) & 0xff) === 0x7f;
}
export function WSTOPSIG(status: number): number;
export function WSTOPSIG(...args: unknown[]): number {
  return (statusArg('WSTOPSIG', args) >> 8) & 0xff;
}
export function WIFCONTINUED(status: number): boolean;
export function WIFCONTINUED(...args: unknown[]): boolean {
  return statusArg('WIFCONTINUED', args) === 0xffff;
}
export function WCOREDUMP(status: number): boolean;
export function WCOREDUMP(...args: unknown[]): boolean {
  return (statusArg('WCOREDUMP', args) & 0x80) !== 0;
}

/** waitstatus_to_exitcode(status): the exit code, or -signal when killed (Python 3.9+). */
export function waitstatus_to_exitcode(status: number): number;
export function waitstatus_to_exitcode(...args: unknown[]): number {
  const s = statusArg('waitstatus_to_exitcode', args);
  if ((s & 0x7f) === 0) return (s >> 8) & 0xff;
  if ((((s & 0x7f) + 1) << 24) >> 25 > 0) return -(s & 0x7f);
  if ((s & 0xff) === 0x7f) throw new ValueError(`process stopped by delivery of signal ${(s >> 8) & 0xff}`);
  throw new ValueError(`invalid wait status: ${s}`);
}

/** Internal (also used by subprocess): the status says the child is gone, not merely stopped or continued. */
export function _is_terminal(status: number): boolean {
  return (status & 0x7f) === 0 || (((status & 0x7f) + 1) << 24) >> 25 > 0;
}

// --- waiting -------------------------------------------------------------

const statusBuf = new Int32Array(1);

function waitOne(pid: number, options: number): [number, number] {
  const r = native.waitpid(pid, options, statusBuf);
  const status = statusBuf[0] as number;
  if (r < 0) {
    if (-r === ECHILD) untrackChild(pid);
    throw oserror(-r, 'waitpid');
  }
  if (r > 0 && _is_terminal(status)) untrackChild(r);
  return [r, status];
}

/**
 * waitpid(-1 | 0 | -pgid): CPython reaps any child; pipefork looks only
 * among its own (lib/children.ts), so a child of Node's child_process is
 * never stolen. A blocking wait sleeps in poll(2) on pidfds of the
 * candidates, then reaps the one that is ready.
 */
function waitAmong(pid: number, options: number): [number, number] {
  const pgid = pid === 0 ? native.getpgrp() : pid < -1 ? -pid : -1;
  // pidfds only report exit; stop/continue reports need a periodic look.
  const tick = options & (WUNTRACED | WCONTINUED) ? 10 : -1;
  for (;;) {
    const candidates: number[] = [];
    for (const c of children) if (pgid < 0 || native.getpgid(c) === pgid) candidates.push(c);
    if (candidates.length === 0) throw oserror(ECHILD, 'waitpid');
    let alive = 0;
    for (const c of candidates) {
      const r = native.waitpid(c, options | WNOHANG, statusBuf);
      if (r > 0) {
        const status = statusBuf[0] as number;
        if (_is_terminal(status)) untrackChild(r);
        return [r, status];
      }
      if (r === 0) alive++;
      else if (-r === ECHILD) untrackChild(c);
      else throw oserror(-r, 'waitpid');
    }
    if (alive === 0) continue; // all were reaped behind our back: ECHILD next time round
    if (options & WNOHANG) return [0, 0];
    const r = native.waitAny(Int32Array.from(candidates), tick);
    if (r < 0) throw oserror(-r, 'waitpid');
  }
}

/**
 * waitpid(pid, options) -> [pid, status]. With pid > 0 it waits for that
 * process, as CPython does. With -1, 0 or -pgid it waits only among the
 * children pipefork started (os.fork, subprocess.Popen): the one deliberate
 * difference from CPython, which would also reap Node's own children.
 */
export function waitpid(pid: number, options: number): [number, number];
export function waitpid(...args: unknown[]): [number, number] {
  if (args.length !== 2) throw new TypeError(`waitpid() takes exactly 2 arguments (${args.length} given)`);
  const pid = toPid(args[0]);
  const options = toPid(args[1]);
  return pid > 0 ? waitOne(pid, options) : waitAmong(pid, options);
}

/** wait() -> [pid, status]: waits for any child pipefork started (see waitpid). */
export function wait(...args: unknown[]): [number, number] {
  if (args.length !== 0) throw new TypeError(`posix.wait() takes no arguments (${args.length} given)`);
  return waitAmong(-1, 0);
}

// --- signals and process groups -------------------------------------------

/** kill(pid, signal). */
export function kill(pid: number, signal: number | Signal): void;
export function kill(...args: unknown[]): void {
  if (args.length !== 2) throw new TypeError(`kill expected 2 arguments, got ${args.length}`);
  const pid = toPid(args[0]);
  // CPython takes a Py_ssize_t and casts it to a C int, keeping the low 32
  // bits: 2**31 becomes EINVAL and 2**53 becomes signal 0.
  const s = toInt(toSignal(args[1]));
  const big = BigInt(s);
  if (big > 2n ** 63n - 1n || big < -(2n ** 63n))
    throw new OverflowError('Python int too large to convert to C ssize_t');
  const sig = Number(BigInt.asIntN(32, big));
  const r = native.kill(pid, sig);
  if (r < 0) throw oserror(-r, 'kill');
}

export function killpg(pgid: number, signal: number | Signal): void;
export function killpg(...args: unknown[]): void {
  if (args.length !== 2) throw new TypeError(`killpg expected 2 arguments, got ${args.length}`);
  const pgid = toPid(args[0]);
  const sig = toPid(toSignal(args[1]));
  const r = native.killpg(pgid, sig);
  if (r < 0) throw oserror(-r, 'killpg');
}

export function setsid(): void {
  const r = native.setsid();
  if (r < 0) throw oserror(-r, 'setsid');
}

export function getpgid(pid: number): number;
export function getpgid(...args: unknown[]): number {
  const r = native.getpgid(toPid(bindArgs('getpgid', ['pid'], args, 1).pid));
  if (r < 0) throw oserror(-r, 'getpgid');
  return r;
}

export function getpgrp(): number {
  return native.getpgrp();
}

export function setpgid(pid: number, pgrp: number): void;
export function setpgid(...args: unknown[]): void {
  if (args.length !== 2) throw new TypeError(`setpgid expected 2 arguments, got ${args.length}`);
  const r = native.setpgid(toPid(args[0]), toPid(args[1]));
  if (r < 0) throw oserror(-r, 'setpgid');
}

/** pidfd_open(pid, flags=0) (Linux 5.3+): an fd that becomes readable when pid exits; non-inheritable. */
export function pidfd_open(pid: number, flags?: number): number;
export function pidfd_open(...args: unknown[]): number {
  const a = bindArgs('pidfd_open', ['pid', 'flags'], args, 1);
  const pid = toPid(a.pid);
  let flags = 0;
  if (a.flags !== undefined) {
    // CPython's unsigned int converter has its own wording.
    if (!(typeof a.flags === 'number' && Number.isInteger(a.flags)) && typeof a.flags !== 'bigint') {
      throw new TypeError('an integer is required');
    }
    const f = a.flags;
    if (f < 0) throw new ValueError('value must be positive');
    if (f > 0xffffffff) throw new OverflowError('Python int too large for C unsigned int');
    flags = Number(f);
  }
  const r = native.pidfdOpen(pid, flags);
  if (r < 0) throw oserror(-r, 'pidfd_open');
  return r;
}

// --- exec ------------------------------------------------------------------

type FsArg = string | Uint8Array;

/** Internal: an argv/env item as os.fsencode takes it (str, bytes, file: URL), with CPython's messages. */
export function _fsarg(v: unknown): FsArg {
  let out: FsArg;
  if (typeof v === 'string') out = v;
  else if (v instanceof Uint8Array) out = v;
  else if (v instanceof URL && v.protocol === 'file:') out = decodeURIComponent(v.pathname);
  else throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(v)}`);
  if (typeof out === 'string' ? out.includes('\0') : out.includes(0)) throw new ValueError('embedded null byte');
  return out;
}

function fsLength(v: FsArg): number {
  return v.length;
}

function pathArg(v: unknown, func: string): FsArg {
  if (typeof v !== 'string' && !(v instanceof Uint8Array) && !(v instanceof URL && v.protocol === 'file:')) {
    throw new TypeError(`${func}: path should be string, bytes or os.PathLike, not ${pyTypeName(v)}`);
  }
  return _fsarg(v);
}

/** argv for exec*: a non-empty list whose first element is not empty (CPython's checks, in its order). */
export function _argvarg(v: unknown, func: string): FsArg[] {
  if (!Array.isArray(v)) throw new TypeError(`${func}() arg 2 must be a tuple or list`);
  if (v.length < 1) throw new ValueError(`${func}() arg 2 must not be empty`);
  const out = v.map(_fsarg);
  if (fsLength(out[0] as FsArg) === 0) throw new ValueError(`${func}() arg 2 first element cannot be empty`);
  return out;
}

/** An environment mapping (plain object or Map) as "KEY=value" strings. */
export function _envarg(v: unknown, func: string): FsArg[] {
  let entries: [unknown, unknown][];
  // CPython's PyMapping_Check accepts a str, which then has no keys().
  if (typeof v === 'string') throw new TypeError("'str' object has no attribute 'keys'");
  if (v instanceof Map) entries = [...v.entries()];
  else if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
    entries = Object.entries(v);
  } else throw new TypeError(`${func}: environment must be a mapping object`);
  const out: FsArg[] = [];
  for (const [k, val] of entries) {
    const key = _fsarg(k);
    const value = _fsarg(val);
    const keyBuf = typeof key === 'string' ? Buffer.from(key) : Buffer.from(key);
    if (keyBuf.length === 0 || keyBuf.indexOf(0x3d, 1) !== -1)
      throw new ValueError('illegal environment variable name');
    if (typeof key === 'string' && typeof value === 'string') out.push(`${key}=${value}`);
    else out.push(Buffer.concat([keyBuf, Buffer.from('='), Buffer.from(value)]));
  }
  return out;
}

const PATH_BYTES = Buffer.from('PATH');

/**
 * The PATH that os.get_exec_path(env) reads, as found (str or bytes): 'PATH',
 * or a bytes key b'PATH' (a Uint8Array key of a Map); both is a ValueError.
 */
function execPathValue(env: unknown): unknown {
  const e = env ?? process.env;
  if (!(e instanceof Map)) return (e as Record<string, unknown>).PATH ?? null;
  let path: unknown = e.get('PATH') ?? null;
  for (const [k, v] of e) {
    if (k instanceof Uint8Array && Buffer.from(k.buffer, k.byteOffset, k.byteLength).equals(PATH_BYTES)) {
      if (path !== null) throw new ValueError("env cannot contain 'PATH' and b'PATH' keys");
      path = v ?? null;
      break;
    }
  }
  return path;
}

/**
 * Internal: the PATH directories as the search uses them. A bytes PATH stays
 * bytes (CPython's fsdecode/fsencode round trip keeps every byte).
 */
export function _exec_path(env?: unknown): FsArg[] {
  const path = execPathValue(env);
  if (path === null) return defpath.split(pathsep);
  if (typeof path === 'string') return path.split(pathsep);
  if (path instanceof Uint8Array) {
    const out: Buffer[] = [];
    const b = Buffer.from(path.buffer, path.byteOffset, path.byteLength);
    let start = 0;
    for (let i = b.indexOf(0x3a); i !== -1; i = b.indexOf(0x3a, start)) {
      out.push(b.subarray(start, i));
      start = i + 1;
    }
    out.push(b.subarray(start));
    return out;
  }
  throw new TypeError(`'${pyTypeName(path)}' object has no attribute 'split'`);
}

/** os.get_exec_path(env=None): the PATH directories a bare program name is looked up in. */
export function get_exec_path(env?: Record<string, unknown> | Map<unknown, unknown> | null): string[] {
  return _exec_path(env).map((d) => (typeof d === 'string' ? d : Buffer.from(d).toString('utf8')));
}

/** Python's path.join(dir, file) for the PATH search, in bytes as os._execvpe does it. */
export function _join_exec(dir: FsArg, file: FsArg): Buffer {
  const f = Buffer.from(file);
  const d = Buffer.from(dir);
  if (d.length === 0) return f;
  return Buffer.concat(d[d.length - 1] === 0x2f ? [d, f] : [d, Buffer.from('/'), f]);
}

function hasDirname(file: FsArg): boolean {
  return typeof file === 'string' ? file.includes('/') : file.includes(0x2f);
}

const execOut = new Int32Array(1);

function doExec(candidates: FsArg[], argv: FsArg[], envp: FsArg[] | null, withFilename: boolean): never {
  const r = native.exec(candidates, argv, envp, execOut);
  const failed = candidates[execOut[0] as number] as FsArg;
  const filename = typeof failed === 'string' ? failed : Buffer.from(failed);
  throw oserror(-r, envp ? 'execve' : 'execv', withFilename ? filename : undefined);
}

/**
 * execv(path, args): replace this process with the program at path.
 * Before execve the new image is given what a fresh program expects and
 * Node takes away: fds 0-2 inheritable, SIGPIPE/SIGXFSZ and every other
 * ignored signal back to default, an empty signal mask (FORK.md). If exec
 * fails all of that is put back and the OSError is raised here.
 */
export function execv(path: string | Uint8Array | URL, args: readonly (string | Uint8Array)[]): never;
export function execv(...a: unknown[]): never {
  if (a.length !== 2) throw new TypeError(`execv() takes exactly 2 arguments (${a.length} given)`);
  const path = pathArg(a[0], 'execv');
  const argv = _argvarg(a[1], 'execv');
  // CPython's execv raises without a filename.
  return doExec([path], argv, null, false);
}

/** execve(path, args, env): as execv, with a new environment (a plain object or Map). */
export function execve(
  path: string | Uint8Array | URL,
  args: readonly (string | Uint8Array)[],
  env: Record<string, string | Uint8Array> | Map<string | Uint8Array, string | Uint8Array>,
): never;
export function execve(...a: unknown[]): never {
  const b = bindArgs('execve', ['path', 'argv', 'env'], a, 3);
  const path = pathArg(b.path, 'execve');
  const argv = _argvarg(b.argv, 'execve');
  const envp = _envarg(b.env, 'execve');
  return doExec([path], argv, envp, true);
}

function execvpe_(file: unknown, args: unknown, env: unknown): never {
  const func = env === undefined ? 'execv' : 'execve';
  const f = _fsarg(file);
  const argv = _argvarg(args, func);
  const envp = env === undefined ? null : _envarg(env, func);
  if (hasDirname(f)) return doExec([f], argv, envp, envp !== null);
  // os._execvpe: each PATH entry in turn; the error reported is the first
  // that is not ENOENT/ENOTDIR, else the last (the native loop picks it).
  const dirs = _exec_path(env === undefined ? null : env);
  return doExec(
    dirs.map((d) => _join_exec(d, f)),
    argv,
    envp,
    envp !== null,
  );
}

/** execvp(file, args): execv, looking file up in PATH when it has no slash. */
export function execvp(file: string | Uint8Array | URL, args: readonly (string | Uint8Array)[]): never {
  return execvpe_(file, args, undefined);
}

/** execvpe(file, args, env): execve, looking file up in env's PATH when it has no slash. */
export function execvpe(
  file: string | Uint8Array | URL,
  args: readonly (string | Uint8Array)[],
  env: Record<string, string | Uint8Array> | Map<string | Uint8Array, string | Uint8Array>,
): never {
  return execvpe_(file, args, env);
}
