// os: processes (fork aside, see lib/fork.ts): exec*, _exit, waitpid, kill, ...
import { Buffer } from 'node:buffer';
import { constants as osConstants } from 'node:os';
import { reap, reapAny } from './children.js';
import {
  arityError,
  bind,
  bindList,
  fsbytes,
  fsencode,
  isKwargs,
  noArgs,
  pyTypeName,
  type Signature,
  signature,
  toBytes,
  toCInt,
  toInt,
  toPid,
} from './convert.js';
import { OSError, OverflowError, oserror, ValueError } from './errors.js';
import { utf8DecodeEscape } from './io/codecs.js';
import { _Environ } from './os_env.js';
import * as posix from './posix/index.js';
import type { Signal } from './signal.js';
import { tuple } from './tuple.js';

export { WCONTINUED, WNOHANG, WUNTRACED } from './posix/constants.js';

/** Python's default search path when PATH is unset (os.defpath). */
export const defpath = '/bin:/usr/bin';
export const pathsep = ':';

const EXIT_ARGS = signature('clinic', '_exit', ['status']);

/** _exit(code): end the process at once, no handlers, no flushing (as in Python). */
export function _exit(status: number): never;
export function _exit(...args: unknown[]): never {
  return posix._exit(toCInt(bind(EXIT_ARGS, args).status));
}

export function getpid(): number;
export function getpid(...args: unknown[]): number {
  noArgs('positional', 'posix.getpid', args);
  return posix.getpid();
}

export function getppid(): number;
export function getppid(...args: unknown[]): number {
  noArgs('positional', 'posix.getppid', args);
  return posix.getppid();
}

// --- argument converters -------------------------------------------------

// --- wait status ---------------------------------------------------------

function statusArg(sig: Signature, args: unknown[]): number {
  return toCInt(bind(sig, args).status);
}

const { exited, highByte, signaled, termSig, stopped } = posix;

/** One W* function: its status argument bound as CPython binds it (keyword `status` too), then decoded. */
function statusFunction<T>(name: string, decode: (s: number) => T): (status: number) => T {
  const sig = signature('clinic', name, ['status']);
  const f = (...args: unknown[]) => decode(statusArg(sig, args));
  return Object.defineProperty(f, 'name', { value: name });
}

const WCOREDUMP_ARGS = signature('positional', 'posix.WCOREDUMP', ['status']);

export const WIFEXITED = statusFunction('WIFEXITED', exited);
export const WEXITSTATUS = statusFunction('WEXITSTATUS', highByte);
export const WIFSIGNALED = statusFunction('WIFSIGNALED', signaled);
export const WTERMSIG = statusFunction('WTERMSIG', termSig);
export const WIFSTOPPED = statusFunction('WIFSTOPPED', stopped);
export const WSTOPSIG = statusFunction('WSTOPSIG', highByte);
export const WIFCONTINUED = statusFunction('WIFCONTINUED', posix.continued);
export function WCOREDUMP(status: number): boolean;
export function WCOREDUMP(...args: unknown[]): boolean {
  // Positional-only with one argument (METH_O), unlike the other W* functions.
  const [status] = bindList(WCOREDUMP_ARGS, args);
  return posix.coreDumped(toCInt(status));
}

const WAITSTATUS_TO_EXITCODE_ARGS = signature('clinic', 'waitstatus_to_exitcode', ['status']);

/** waitstatus_to_exitcode(status): the exit code, or -signal when killed (Python 3.9+). */
export function waitstatus_to_exitcode(status: number): number;
export function waitstatus_to_exitcode(...args: unknown[]): number {
  const s = statusArg(WAITSTATUS_TO_EXITCODE_ARGS, args);
  if (exited(s)) return highByte(s);
  if (signaled(s)) return -termSig(s);
  if (stopped(s)) throw new ValueError(`process stopped by delivery of signal ${highByte(s)}`);
  throw new ValueError(`invalid wait status: ${s}`);
}

/**
 * Internal: Popen's returncode for a status, as CPython's _handle_exitstatus
 * makes it: -WSTOPSIG for a stopped child, else waitstatus_to_exitcode (a
 * status that is neither counts as killed by its low bits, without raising).
 */
export function _returncode(status: number): number {
  if (stopped(status)) return -highByte(status);
  return exited(status) ? highByte(status) : -termSig(status);
}

// --- waiting -------------------------------------------------------------

const WAITPID_ARGS = signature('positional', 'posix.waitpid', ['pid', 'options'], {
  arityName: 'waitpid',
  parseTuple: true,
});

/**
 * waitpid(pid, options) -> [pid, status]. With pid > 0 it waits for that
 * process, as CPython does. With -1, 0 or -pgid it waits only among the
 * children pipefork started (os.fork, subprocess.Popen): the one deliberate
 * difference from CPython, which would also reap Node's own children.
 */
export function waitpid(pid: number, options: number): [number, number];
export function waitpid(...args: unknown[]): [number, number] {
  if (args.length !== 2 || isKwargs(args[1])) args = bindList(WAITPID_ARGS, args);
  const pid = toPid(args[0]);
  const options = toPid(args[1]);
  // CPython reaps any child; pipefork looks only among its own
  // (lib/children.ts), so a child of Node's child_process is never stolen.
  return tuple(pid > 0 ? reap(pid, options) : reapAny(pid === 0 ? posix.getpgrp() : pid < -1 ? -pid : -1, options));
}

/** wait() -> [pid, status]: waits for any child pipefork started (see waitpid). */
export function wait(...args: unknown[]): [number, number] {
  if (args.length !== 0) throw arityError('posix.wait', 0, args.length);
  return tuple(reapAny(-1, 0));
}

// --- signals and process groups -------------------------------------------

const KILL_ARGS = signature('positional', 'posix.kill', ['pid', 'signal'], { arityName: 'kill', parseTuple: true });

/** kill(pid, signal). */
export function kill(pid: number, signal: number | Signal): void;
export function kill(...args: unknown[]): void {
  if (args.length !== 2 || isKwargs(args[1])) args = bindList(KILL_ARGS, args);
  const pid = toPid(args[0]);
  // CPython takes a Py_ssize_t and casts it to a C int, keeping the low 32
  // bits: 2**31 becomes EINVAL and 2**53 becomes signal 0.
  const s = toInt(args[1]);
  const big = BigInt(s);
  if (big > 2n ** 63n - 1n || big < -(2n ** 63n))
    throw new OverflowError('Python int too large to convert to C ssize_t');
  const sig = Number(BigInt.asIntN(32, big));
  posix.kill(pid, sig);
}

const KILLPG_ARGS = signature('positional', 'posix.killpg', ['pgid', 'signal'], {
  arityName: 'killpg',
  parseTuple: true,
});

export function killpg(pgid: number, signal: number | Signal): void;
export function killpg(...args: unknown[]): void {
  if (args.length !== 2 || isKwargs(args[1])) args = bindList(KILLPG_ARGS, args);
  const pgid = toPid(args[0]);
  const sig = toPid(args[1]);
  posix.killpg(pgid, sig);
}

export function setsid(): void;
export function setsid(...args: unknown[]): void {
  noArgs('positional', 'posix.setsid', args);
  posix.setsid();
}

const GETPGID_ARGS = signature('clinic', 'getpgid', ['pid']);

export function getpgid(pid: number): number;
export function getpgid(...args: unknown[]): number {
  return posix.getpgid(toPid(bind(GETPGID_ARGS, args).pid));
}

export function getpgrp(): number;
export function getpgrp(...args: unknown[]): number {
  noArgs('positional', 'posix.getpgrp', args);
  return posix.getpgrp();
}

const SETPGID_ARGS = signature('positional', 'posix.setpgid', ['pid', 'pgrp'], {
  arityName: 'setpgid',
  parseTuple: true,
});

export function setpgid(pid: number, pgrp: number): void;
export function setpgid(...args: unknown[]): void {
  if (args.length !== 2 || isKwargs(args[1])) args = bindList(SETPGID_ARGS, args);
  posix.setpgid(toPid(args[0]), toPid(args[1]));
}

const PIDFD_OPEN_ARGS = signature('clinic', 'pidfd_open', ['pid', 'flags'], { required: 1 });

/** pidfd_open(pid, flags=0) (Linux 5.3+): an fd that becomes readable when pid exits; non-inheritable. */
export function pidfd_open(pid: number, flags?: number): number;
export function pidfd_open(...args: unknown[]): number {
  const a = bind(PIDFD_OPEN_ARGS, args);
  const pid = toPid(a.pid);
  let flags = 0;
  if (a.flags !== undefined) {
    // CPython's unsigned int converter has its own wording.
    if (!(typeof a.flags === 'number' && Number.isInteger(a.flags)) && typeof a.flags !== 'bigint') {
      throw new TypeError('an integer is required');
    }
    const f = a.flags;
    if (f < 0) throw new ValueError('value must be positive');
    if (f >= 2 ** 64) throw new OverflowError('Python int too large to convert to C unsigned long');
    if (f > 0xffffffff) throw new OverflowError('Python int too large for C unsigned int');
    flags = Number(f);
  }
  return posix.pidfdOpen(pid, flags);
}

// --- exec ------------------------------------------------------------------

type FsArg = string | Uint8Array;

/**
 * Internal: an argv/env item, an executable or a cwd as os.fsencode takes it
 * (str, bytes, file: URL), with CPython's messages: a str is encoded with
 * surrogateescape (convert.fsencode), so '\udcff' reaches the child as the
 * byte 0xff and '\ud800' is a UnicodeEncodeError, as in CPython.
 */
export function _fsarg(v: unknown): FsArg {
  const p = fspath(v);
  const out = typeof p === 'string' ? fsencode(p) : p;
  if (hasNul(p)) throw new ValueError('embedded null byte');
  return out;
}

function hasNul(v: FsArg): boolean {
  return typeof v === 'string' ? v.includes('\0') : v.includes(0);
}

/** os.fspath(v): str, bytes or a file: URL, no NUL check (as os.py's _execvpe takes `file`). */
function fspath(v: unknown): FsArg {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return toBytes(v);
  if (v instanceof URL && v.protocol === 'file:') return decodeURIComponent(v.pathname);
  throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(v)}`);
}

/**
 * The path of execv/execve (CPython's path_converter): str, bytes or a file:
 * URL; execve also takes an fd (fexecve). A NUL is worded by type: a str
 * fails in fsencode, bytes in the converter itself.
 */
function pathArg(v: unknown, func: string, allowFd: boolean): FsArg | number {
  if (allowFd && ((typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' || typeof v === 'boolean')) {
    const n = typeof v === 'boolean' ? Number(v) : v;
    if (n > 2 ** 31 - 1) throw new OverflowError('fd is greater than maximum');
    if (n < -(2 ** 31)) throw new OverflowError('fd is less than minimum');
    return Number(n);
  }
  if (typeof v !== 'string' && !(v instanceof Uint8Array) && !(v instanceof URL && v.protocol === 'file:')) {
    const what = allowFd ? 'string, bytes, os.PathLike or integer' : 'string, bytes or os.PathLike';
    throw new TypeError(`${func}: path should be ${what}, not ${pyTypeName(v)}`);
  }
  const p = fspath(v);
  const out = typeof p === 'string' ? fsencode(p) : p;
  if (hasNul(p)) {
    throw new ValueError(typeof p === 'string' ? 'embedded null byte' : `${func}: embedded null character in path`);
  }
  return out;
}

/** The argv type and length checks of execv/execve, each with its own wording. */
function argvShape(v: unknown, func: string): readonly unknown[] {
  const ve = func === 'execve';
  if (!Array.isArray(v))
    throw new TypeError(ve ? 'execve: argv must be a tuple or list' : `${func}() arg 2 must be a tuple or list`);
  if (v.length < 1) throw new ValueError(ve ? 'execve: argv must not be empty' : `${func}() arg 2 must not be empty`);
  return v;
}

/** The argv items, then the first-not-empty check. */
function argvItems(v: readonly unknown[], func: string): FsArg[] {
  // Array.from, not map: map skips a hole ([, 'x']), which is None here, as undefined is.
  const out = Array.from(v, _fsarg);
  if ((out[0] as FsArg).length === 0) {
    throw new ValueError(
      func === 'execve'
        ? 'execve: argv first element cannot be empty'
        : `${func}() arg 2 first element cannot be empty`,
    );
  }
  return out;
}

/** argv for exec*: a non-empty list whose first element is not empty (CPython's checks, in its order). */
function _argvarg(v: unknown, func: string): FsArg[] {
  return argvItems(argvShape(v, func), func);
}

/**
 * CPython's PyMapping_Check: whatever has __getitem__ passes (dict, but also
 * str, list, bytes, which then fail on keys()); None, numbers and bools do not.
 */
function envMappingCheck(v: unknown, func: string): void {
  if (v === null || v === undefined || (typeof v !== 'string' && typeof v !== 'object')) {
    throw new TypeError(`${func}: environment must be a mapping object`);
  }
}

/** execve's env as the types take it: a plain object or Map, process.env, os.environ or os.environb. */
export type ExecEnv =
  | Record<string, string | Uint8Array>
  | Map<string | Uint8Array, string | Uint8Array>
  | NodeJS.ProcessEnv
  | _Environ<string>
  | _Environ<Buffer>;

/** An environment mapping: a Map, a plain object, process.env, or os.environ/os.environb. */
export type EnvMapping = Map<unknown, unknown> | Record<string, unknown> | _Environ<string> | _Environ<Buffer>;

/**
 * A dict-like env: a Map, a plain object, or what a Node program or a port
 * passes as its environment, process.env (whose prototype is not Object's)
 * and os.environ.
 */
export function _isMapping(v: unknown): v is EnvMapping {
  return v instanceof Map || isKwargs(v) || v === process.env || v instanceof _Environ;
}

/** A mapping's (key, value) pairs, as env.items() gives them in Python. */
function envEntries(v: EnvMapping): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  if (v instanceof _Environ) return (v as _Environ<string>).items();
  return Object.entries(v);
}

/**
 * Internal (also used by Popen): a mapping's items as "KEY=value" entries,
 * str when both are str, else bytes; `badName` says which names to refuse
 * (os.execve and Popen refuse different ones, as in CPython).
 */
export function _envItems(v: EnvMapping, badName: (key: Buffer) => boolean): FsArg[] {
  const entries = envEntries(v);
  const out: FsArg[] = [];
  for (const [k, val] of entries) {
    const key = _fsarg(k);
    const value = _fsarg(val);
    const keyBuf = Buffer.from(key);
    if (badName(keyBuf)) throw new ValueError('illegal environment variable name');
    if (typeof key === 'string' && typeof value === 'string') out.push(`${key}=${value}`);
    else out.push(Buffer.concat([keyBuf, Buffer.from('='), Buffer.from(value)]));
  }
  return out;
}

/** An environment mapping (plain object or Map) as execve takes it: no empty name, no '=' after the first byte. */
function _envarg(v: unknown, func: string): FsArg[] {
  envMappingCheck(v, func);
  if (!_isMapping(v)) throw new TypeError(`'${pyTypeName(v)}' object has no attribute 'keys'`);
  return _envItems(v, (key) => key.length === 0 || key.indexOf(0x3d, 1) !== -1);
}

const PATH_BYTES = Buffer.from('PATH');

/**
 * The PATH that os.get_exec_path(env) reads, as found (str or bytes): 'PATH',
 * or a bytes key b'PATH' (a Uint8Array key of a Map); both is a ValueError.
 */
function execPathValue(env: unknown): unknown {
  const e = env ?? process.env;
  // os.get_exec_path calls env.get('PATH'): anything else has no get().
  if (!_isMapping(e)) throw new TypeError(`'${pyTypeName(e)}' object has no attribute 'get'`);
  // os.environ and os.environb are views of process.env.
  if (e instanceof _Environ) return process.env.PATH ?? null;
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

/**
 * os.get_exec_path(env=None): the PATH directories a bare program name is
 * looked up in. `env` is positional only: a plain object is always the env.
 */
export function get_exec_path(env?: Record<string, unknown> | Map<unknown, unknown> | null): string[];
export function get_exec_path(...args: unknown[]): string[] {
  if (args.length > 1) {
    throw new TypeError(`get_exec_path() takes from 0 to 1 positional arguments but ${args.length} were given`);
  }
  return _exec_path(args[0]).map((d) => (typeof d === 'string' ? d : utf8DecodeEscape(d)));
}

/** Python's path.join(dir, file) for the PATH search, in bytes as os._execvpe does it. */
export function _join_exec(dir: FsArg, file: FsArg): Buffer {
  const f = fsbytes(file);
  const d = fsbytes(dir);
  if (d.length === 0) return f;
  return Buffer.concat(d[d.length - 1] === 0x2f ? [d, f] : [d, Buffer.from('/'), f]);
}

function hasDirname(file: FsArg): boolean {
  return typeof file === 'string' ? file.includes('/') : file.includes(0x2f);
}

/**
 * fexecve(fd, argv, envp) as glibc does it without execveat: exec
 * /proc/self/fd/N. A closed fd is EBADF, as from fexecve itself.
 */
function fexec(fd: number, argv: FsArg[], envp: FsArg[]): never {
  try {
    posix.fstat(fd);
  } catch (e) {
    throw e instanceof OSError && typeof e.errno === 'number' ? oserror(e.errno, 'execve', fd) : e;
  }
  if (process.platform !== 'linux') throw oserror(osConstants.errno.ENOSYS, 'execve', fd);
  return posix.exec([`/proc/self/fd/${fd}`], argv, envp, true, fd);
}

const EXECV_ARGS = signature('positional', 'posix.execv', ['path', 'argv'], { arityName: 'execv' });

/**
 * execv(path, args): replace this process with the program at path.
 * Before execve the new image is given what a fresh program expects and
 * Node takes away: fds 0-2 inheritable, SIGPIPE/SIGXFSZ and every other
 * ignored signal back to default, an empty signal mask (docs/os.md, "What
 * exec* does before execve"). If exec fails all of that is put back and the
 * OSError is raised here.
 */
export function execv(path: string | Uint8Array | URL, args: readonly (string | Uint8Array)[]): never;
export function execv(...args: unknown[]): never {
  // Positional-only (path, argv, /): execv('/bin/ls', { argv }) is refused as in CPython.
  const [path, argv] = bindList(EXECV_ARGS, args);
  return execvBound(path, argv);
}

/** execv once its two arguments are known (also os._execvpe's exec_func, which never passes keywords). */
function execvBound(p: unknown, args: unknown): never {
  const path = pathArg(p, 'execv', false) as FsArg;
  const argv = _argvarg(args, 'execv');
  // CPython's execv raises without a filename.
  return posix.exec([path], argv, null, false);
}

const EXECVE_ARGS = signature('clinic', 'execve', ['path', 'argv', 'env'], { mappings: ['env'] });

/**
 * execve(path, args, env): as execv, with a new environment (a plain object
 * or Map). `path` may be an open fd (fexecve; Linux, through /proc/self/fd).
 */
export function execve(
  path: string | Uint8Array | URL | number,
  args: readonly (string | Uint8Array)[],
  env: ExecEnv,
): never;
export function execve(...a: unknown[]): never {
  // execve(path, { argv, env }) is keywords; execve(path, argv, { PATH }) is the env (see readsAsKwargs).
  const b = bind(EXECVE_ARGS, a);
  return execveBound(b.path, b.argv, b.env);
}

/** execve once its three arguments are known (also os._execvpe's exec_func). */
function execveBound(p: unknown, args: unknown, env: unknown): never {
  const path = pathArg(p, 'execve', true);
  // CPython's order: argv's type and length, env's mapping check, argv's
  // items and first element, then env's keys and values.
  const shape = argvShape(args, 'execve');
  envMappingCheck(env, 'execve');
  const argv = argvItems(shape, 'execve');
  const envp = _envarg(env, 'execve');
  if (typeof path === 'number') return fexec(path, argv, envp);
  return posix.exec([path], argv, envp, true);
}

/** os._execvpe: env undefined or null means execv with the current environment. */
function execvpe_(file: unknown, args: unknown, env: unknown): never {
  const withEnv = env !== undefined && env !== null;
  const f = fspath(file);
  if (hasDirname(f)) return withEnv ? execveBound(f, args, env) : execvBound(f, args);
  const func = withEnv ? 'execve' : 'execv';
  const dirs = _exec_path(withEnv ? env : null);
  const candidates = dirs.map((d) => _join_exec(d, f));
  // Each candidate is one exec_func(fullname, ...) call: its path is checked
  // before argv and env, and a ValueError ends the search at once.
  const nul = candidates.findIndex((c) => c.includes(0));
  const nulError = new ValueError(`${func}: embedded null character in path`);
  if (nul === 0) throw nulError;
  const shape = argvShape(args, func);
  if (withEnv) envMappingCheck(env, func);
  const argv = argvItems(shape, func);
  const envp = withEnv ? _envarg(env, func) : null;
  // os._execvpe: each PATH entry in turn; the error reported is the first
  // that is not ENOENT/ENOTDIR, else the last (the native loop picks it).
  if (nul > 0) {
    try {
      posix.exec(candidates.slice(0, nul), argv, envp, withEnv);
    } catch {
      throw nulError;
    }
  }
  return posix.exec(candidates, argv, envp, withEnv);
}

const EXECVP_ARGS = signature('python', 'execvp', ['file', 'args'], { required: 2, keepUndefined: true });

/** execvp(file, args): execv, looking file up in PATH when it has no slash. */
export function execvp(file: string | Uint8Array | URL, args: readonly (string | Uint8Array)[]): never;
export function execvp(...a: unknown[]): never {
  const b = bind(EXECVP_ARGS, a);
  return execvpe_(b.file, b.args, undefined);
}

const EXECVPE_ARGS = signature('python', 'execvpe', ['file', 'args', 'env'], {
  required: 3,
  mappings: ['env'],
  keepUndefined: true,
});

/**
 * execvpe(file, args, env): execve, looking file up in env's PATH when it has
 * no slash; env null is execvp (os.environ), as in os._execvpe.
 */
export function execvpe(
  file: string | Uint8Array | URL,
  args: readonly (string | Uint8Array)[],
  env: ExecEnv | null,
): never;
export function execvpe(...a: unknown[]): never {
  const b = bind(EXECVPE_ARGS, a);
  return execvpe_(b.file, b.args, b.env);
}
