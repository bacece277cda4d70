// os: the process's environment and identity, as IPC programs use them:
// os.environ (live over process.env), getenv/putenv/unsetenv, the working
// directory, umask, unlink/remove, the user and group ids, getsid.
import { Buffer } from 'node:buffer';
import { constants as osConstants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import {
  bind,
  bindList,
  isKwargs,
  isPyIterable,
  noArgs,
  pyIter,
  pyList,
  pyTypeName,
  signature,
  toBuffer,
  toCInt,
  toPath,
  toPid,
} from './convert.js';
import { KeyError, oserror, ValueError } from './errors.js';
import { lookupCodec } from './io/codecs.js';
import * as posix from './posix/index.js';
import { pyValueRepr } from './repr.js';
import { tuple } from './tuple.js';

const EINVAL = osConstants.errno.EINVAL;

/** The file system encoding's decoding, as os.fsdecode: UTF-8 with surrogateescape. */
function fsdecode(b: Uint8Array): string {
  return lookupCodec('utf-8').decoder('surrogateescape').decode(b, true);
}

/** A str or bytes name/value for putenv/unsetenv (PyUnicode_FSConverter), as the text process.env holds. */
function fsText(v: unknown): string {
  if (typeof v === 'string') {
    if (v.includes('\0')) throw new ValueError('embedded null byte');
    return v;
  }
  if (v instanceof Uint8Array) {
    const b = toBuffer(v);
    if (b.includes(0)) throw new ValueError('embedded null byte');
    return b.toString('utf8');
  }
  throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(v)}`);
}

const PUTENV_ARGS = signature('positional', 'posix.putenv', ['name', 'value'], { arityName: 'putenv' });

/**
 * putenv(name, value): sets a variable of the process environment. Node's
 * process.env writes through to it, so os.environ and process.env see the
 * change at once (CPython's os.environ is a copy taken at startup and does
 * not; pipefork's is live, docs/os.md).
 */
export function putenv(name: string | Uint8Array, value: string | Uint8Array): void;
export function putenv(...args: unknown[]): void {
  if (args.length !== 2) args = bindList(PUTENV_ARGS, args);
  const name = fsText(args[0]);
  const value = fsText(args[1]);
  if (name.includes('=')) throw new ValueError('illegal environment variable name');
  // setenv(3)'s own refusal, which process.env would swallow.
  if (name === '') throw oserror(EINVAL, 'setenv');
  process.env[name] = value;
}

const UNSETENV_ARGS = signature('positional', 'posix.unsetenv', ['name']);

/** unsetenv(name): removes a variable; a name that is not set is not an error. */
export function unsetenv(name: string | Uint8Array): void;
export function unsetenv(...args: unknown[]): void {
  if (args.length !== 1) args = bindList(UNSETENV_ARGS, args);
  const name = fsText(args[0]);
  if (name === '' || name.includes('=')) throw oserror(EINVAL, 'unsetenv');
  delete process.env[name];
}

/** How an _Environ turns keys and values into process.env's text and back (CPython's encodekey/decodevalue). */
interface Codec<T> {
  encode(v: unknown): string;
  decode(s: string): T;
}

const strCodec: Codec<string> = {
  encode(v) {
    if (typeof v !== 'string') throw new TypeError(`str expected, not ${pyTypeName(v)}`);
    return v;
  },
  decode: (s) => s,
};

const bytesCodec: Codec<Buffer> = {
  encode(v) {
    if (!(v instanceof Uint8Array)) throw new TypeError(`bytes expected, not ${pyTypeName(v)}`);
    return toBuffer(v).toString('utf8');
  },
  decode: (s) => Buffer.from(s, 'utf8'),
};

/** What update() takes: a mapping (Map, plain object, another environ) or key/value pairs. */
type Pairs<T extends string | Buffer> = Map<T, T> | Record<string, T> | Iterable<readonly [T, T]> | _Environ<T>;

/**
 * os.environ (str) and os.environb (bytes): CPython's os._Environ, live over
 * process.env (the process's environment): a read sees every change made
 * through either, a write goes through putenv. Python's `environ[k]`,
 * `environ[k] = v`, `del environ[k]` and `k in environ` are getitem(k),
 * setitem(k, v), delitem(k) and has(k); a missing key is a KeyError.
 */
const SETDEFAULT_ARGS = signature('python', '_Environ.setdefault', ['key', 'value'], { required: 2, self: 1 });

export class _Environ<T extends string | Buffer> implements Iterable<T> {
  /** @internal */
  constructor(private readonly codec: Codec<T>) {}

  /** environ[key]: its value; KeyError when it is not set. */
  getitem(key: T): T {
    const value = process.env[this.codec.encode(key)];
    if (value === undefined) throw new KeyError(key);
    return this.codec.decode(value);
  }

  /** environ[key] = value: putenv, as CPython's os.environ does. */
  setitem(key: T, value: T): void {
    putenv(this.codec.encode(key), this.codec.encode(value));
  }

  /** del environ[key]: unsetenv; KeyError when it was not set. */
  delitem(key: T): void {
    const name = this.codec.encode(key);
    const present = process.env[name] !== undefined;
    unsetenv(name);
    if (!present) throw new KeyError(key);
  }

  /** `key in environ`. */
  has(key: T): boolean {
    return process.env[this.codec.encode(key)] !== undefined;
  }

  /** get(key, default=None). */
  get(key: T): T | null;
  get<D>(key: T, dflt: D): T | D;
  get(key: T, dflt: unknown = null): unknown {
    const value = process.env[this.codec.encode(key)];
    return value === undefined ? dflt : this.codec.decode(value);
  }

  /** pop(key[, default]): removes it and returns its value; KeyError without a default. */
  pop(key: T): T;
  pop<D>(key: T, dflt: D): T | D;
  pop(key: T, ...dflt: unknown[]): unknown {
    const value = process.env[this.codec.encode(key)];
    if (value === undefined) {
      if (dflt.length > 0) return dflt[0];
      throw new KeyError(key);
    }
    this.delitem(key);
    return this.codec.decode(value);
  }

  /** popitem(): removes one (key, value) and returns it; KeyError when empty. */
  popitem(): [T, T] {
    const name = Object.keys(process.env)[0];
    if (name === undefined) throw new KeyError('popitem(): dictionary is empty');
    const key = this.codec.decode(name);
    return tuple([key, this.pop(key)]);
  }

  /** setdefault(key, value): sets it if it is not set; returns what is set. */
  setdefault(key: T, value: T): T;
  setdefault(...args: unknown[]): T {
    const a = bind(SETDEFAULT_ARGS, args);
    const key = a.key as T;
    if (!this.has(key)) this.setitem(key, a.value as T);
    return this.getitem(key);
  }

  /** update(other): sets every pair of a mapping (Map, plain object, environ) or of an iterable of pairs. */
  update(other: Pairs<T> = []): void {
    if (other instanceof _Environ) for (const [k, v] of other.items()) this.setitem(k as T, v as T);
    else if (other instanceof Map) for (const [k, v] of other.entries()) this.setitem(k as T, v as T);
    else if (isKwargs(other)) for (const [k, v] of Object.entries(other)) this.setitem(k as T, v as T);
    else {
      // `for key, value in other`, with Python's errors for an item that is not a pair.
      for (const item of pyIter(other)) {
        if (!isPyIterable(item)) throw new TypeError(`cannot unpack non-iterable ${pyTypeName(item)} object`);
        const pair = pyList(item);
        if (pair.length < 2) throw new ValueError(`not enough values to unpack (expected 2, got ${pair.length})`);
        if (pair.length > 2) throw new ValueError('too many values to unpack (expected 2)');
        this.setitem(pair[0] as T, pair[1] as T);
      }
    }
  }

  /** clear(): unsets every variable. */
  clear(): void {
    for (const name of Object.keys(process.env)) unsetenv(name);
  }

  keys(): T[] {
    return Object.keys(process.env).map((k) => this.codec.decode(k));
  }

  values(): T[] {
    return Object.values(process.env).map((v) => this.codec.decode(v as string));
  }

  /** items(): (key, value) pairs, tuples as in Python. */
  items(): [T, T][] {
    return Object.entries(process.env).map(([k, v]) => tuple([this.codec.decode(k), this.codec.decode(v as string)]));
  }

  /**
   * copy(): a dict of what is set now, as a plain object (what Popen's env
   * takes: `{ ...os.environ.copy(), DEBUG: '1' }`); a Map for environb.
   */
  copy(): T extends string ? Record<string, string> : Map<Buffer, Buffer>;
  copy(): Record<string, string> | Map<Buffer, Buffer> {
    if (this.codec === (strCodec as unknown)) return { ...(process.env as Record<string, string>) };
    return new Map(this.items() as [Buffer, Buffer][]);
  }

  /** len(environ). */
  get size(): number {
    return Object.keys(process.env).length;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.keys()[Symbol.iterator]();
  }

  /** repr(os.environ): environ({'HOME': '/root', ...}). */
  __repr__(): string {
    return `environ(${pyValueRepr(new Map(this.items()))})`;
  }

  toString(): string {
    return this.__repr__();
  }
}

/** os.environ: the environment as str, live over process.env. */
export const environ: _Environ<string> = new _Environ(strCodec);
/** os.environb: the same environment as bytes (UTF-8: Node holds the environment as text). */
export const environb: _Environ<Buffer> = new _Environ(bytesCodec);

/** getenv(key, default=None): os.environ.get(key, default). */
const GETENV_ARGS = signature('python', 'getenv', ['key', 'default'], { required: 1 });
const GETENVB_ARGS = signature('python', 'getenvb', ['key', 'default'], { required: 1 });

export function getenv(key: string): string | null;
export function getenv<D>(key: string, dflt: D): string | D;
export function getenv(...args: unknown[]): unknown {
  const a = bind(GETENV_ARGS, args);
  return environ.get(a.key as string, a.default ?? null);
}

/** getenvb(key, default=None): os.environb.get(key, default). */
export function getenvb(key: Uint8Array): Buffer | null;
export function getenvb<D>(key: Uint8Array, dflt: D): Buffer | D;
export function getenvb(...args: unknown[]): unknown {
  const a = bind(GETENVB_ARGS, args);
  return environb.get(a.key as Buffer, a.default ?? null);
}

// ---- the working directory ----

/** getcwdb(): the working directory's bytes. */
export function getcwdb(): Buffer;
export function getcwdb(...args: unknown[]): Buffer {
  noArgs('positional', 'posix.getcwdb', args);
  return posix.getcwd();
}

/** getcwd(): the working directory, decoded as os.fsdecode does (UTF-8, surrogateescape). */
export function getcwd(): string;
export function getcwd(...args: unknown[]): string {
  noArgs('positional', 'posix.getcwd', args);
  return fsdecode(posix.getcwd());
}

/** A path argument: CPython's checks and encoding (convert.toPath), a bytes path's exact bytes. */
function pathArg(v: unknown, func: string): string | Buffer {
  return toPath(v, func);
}

const CHDIR_ARGS = signature('clinic', 'chdir', ['path']);

/**
 * chdir(path): a str, bytes or file: URL path, or an open directory's fd
 * (fchdir). Node caches the working directory on its main thread, so that
 * cache is refreshed (process.chdir('.')) for process.cwd() and path.resolve.
 */
export function chdir(path: string | Uint8Array | URL | number): void;
export function chdir(...args: unknown[]): void {
  const path = bind(CHDIR_ARGS, args).path;
  if (typeof path === 'number' && Number.isInteger(path)) {
    posix.fchdir(toCInt(path));
  } else {
    if (typeof path !== 'string' && !(path instanceof Uint8Array) && !(path instanceof URL)) {
      throw new TypeError(`chdir: path should be string, bytes, os.PathLike or integer, not ${pyTypeName(path)}`);
    }
    posix.chdir(pathArg(path, 'chdir'), path as string | Buffer);
  }
  if (isMainThread) process.chdir('.');
}

const UMASK_ARGS = signature('positional', 'posix.umask', ['mask']);

/** umask(mask): sets the file mode creation mask; the previous one. */
export function umask(mask: number): number;
export function umask(...args: unknown[]): number {
  if (args.length !== 1) args = bindList(UMASK_ARGS, args);
  return posix.umask(toCInt(args[0]));
}

/** unlink(path, *, dir_fd=None) and remove(): the same function under two names, as in CPython. */
function unlinker(func: 'unlink' | 'remove') {
  const sig = signature('clinic', func, ['path', 'dir_fd'], { required: 1, maxPositional: 1 });
  return (...args: unknown[]): void => {
    const positional = isKwargs(args[args.length - 1]) ? args.length - 1 : args.length;
    if (positional > 1) throw new TypeError(`${func}() takes exactly 1 positional argument (${positional} given)`);
    const a = bind(sig, args);
    const path = pathArg(a.path, func);
    let dirFd = -1;
    if (a.dir_fd !== undefined && a.dir_fd !== null) {
      if (typeof a.dir_fd !== 'number' && typeof a.dir_fd !== 'bigint') {
        throw new TypeError(`argument should be integer or None, not ${pyTypeName(a.dir_fd)}`);
      }
      dirFd = toCInt(a.dir_fd);
    }
    posix.unlinkat(dirFd, path, func, a.path as string | Buffer);
  };
}

/** unlink(path, *, dir_fd=None): removes a file (a directory is IsADirectoryError). */
export const unlink: (path: string | Uint8Array | URL, kwargs?: { dir_fd?: number | null }) => void =
  unlinker('unlink');
/** remove(path, *, dir_fd=None): the same as unlink. */
export const remove: (path: string | Uint8Array | URL, kwargs?: { dir_fd?: number | null }) => void =
  unlinker('remove');

// ---- who the process is ----

/** getuid(): the real user id. */
export function getuid(): number;
export function getuid(...args: unknown[]): number {
  noArgs('positional', 'posix.getuid', args);
  return process.getuid?.() ?? 0;
}

/** geteuid(): the effective user id. */
export function geteuid(): number;
export function geteuid(...args: unknown[]): number {
  noArgs('positional', 'posix.geteuid', args);
  return process.geteuid?.() ?? 0;
}

/** getgid(): the real group id. */
export function getgid(): number;
export function getgid(...args: unknown[]): number {
  noArgs('positional', 'posix.getgid', args);
  return process.getgid?.() ?? 0;
}

/** getegid(): the effective group id. */
export function getegid(): number;
export function getegid(...args: unknown[]): number {
  noArgs('positional', 'posix.getegid', args);
  return process.getegid?.() ?? 0;
}

const GETSID_ARGS = signature('positional', 'posix.getsid', ['pid']);

/** getsid(pid): the session id of pid (0: this process). */
export function getsid(pid: number): number;
export function getsid(...args: unknown[]): number {
  if (args.length !== 1) args = bindList(GETSID_ARGS, args);
  return posix.getsid(toPid(args[0]));
}
