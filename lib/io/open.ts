// io.open and os.fdopen: CPython's _io.open — the argument checks in its
// order and wording, then FileIO, then the buffered class the mode calls for,
// then TextIOWrapper for text modes. Once FileIO exists, a failure closes it
// (and so the fd, with closefd), as CPython does.
import { bind, isKwargs, pyTypeName, signature, toBool, toCInt } from '../convert.js';
import { ValueError } from '../errors.js';
import { BufferedRandom, BufferedReader, BufferedWriter } from './buffered.js';
import { FileIO } from './fileio.js';
import { TextIOWrapper } from './text.js';

export interface OpenOptions {
  mode?: string;
  buffering?: number;
  encoding?: string | null;
  errors?: string | null;
  newline?: string | null;
  closefd?: boolean;
  opener?: ((path: string, flags: number) => number) | null;
}

type FileArg = number | string | Buffer | URL;
// Literal modes let TypeScript pick the class io.open will return.
type ReadBin = 'rb' | 'br';
type WriteMode = 'wb' | 'bw' | 'ab' | 'ba' | 'xb' | 'bx';
type RandomMode = 'r+b' | 'rb+' | 'w+b' | 'wb+' | 'a+b' | 'ab+' | 'x+b' | 'xb+';
type BinaryMode = ReadBin | WriteMode | RandomMode;
type TextMode = 'r' | 'rt' | 'w' | 'wt' | 'a' | 'at' | 'x' | 'xt' | 'r+' | 'w+' | 'a+' | 'x+';

export type FileObject = FileIO | BufferedReader | BufferedWriter | BufferedRandom | TextIOWrapper;

/** Python's name for a type in argument-clinic messages: None is 'None' there. */
function clinicType(v: unknown): string {
  return v === null || v === undefined ? 'None' : pyTypeName(v);
}

/** io.open's parameters, Argument Clinic's binding (os.fdopen passes its arguments on to it). */
const OPEN_ARGS = signature(
  'clinic',
  'open',
  ['file', 'mode', 'buffering', 'encoding', 'errors', 'newline', 'closefd', 'opener'],
  { required: 1 },
);

/**
 * open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None).
 * `file` is an fd (the usual case here) or a path. Keyword arguments go in a
 * trailing object: `open(fd, 'rb', { buffering: 0 })`.
 */
export function open(file: FileArg, mode: BinaryMode, buffering: 0, ...rest: unknown[]): FileIO;
export function open(file: FileArg, mode: BinaryMode, options: OpenOptions & { buffering: 0 }): FileIO;
export function open(file: FileArg, mode: 'rb' | 'br', ...rest: unknown[]): BufferedReader;
export function open(file: FileArg, mode: WriteMode, ...rest: unknown[]): BufferedWriter;
export function open(file: FileArg, mode: RandomMode, ...rest: unknown[]): BufferedRandom;
export function open(file: FileArg, mode?: TextMode, ...rest: unknown[]): TextIOWrapper;
export function open(file: FileArg, options: OpenOptions & { mode?: TextMode }): TextIOWrapper;
export function open(file: FileArg, ...rest: unknown[]): FileObject;
export function open(...args: unknown[]): FileObject {
  return openImpl('open', bind(OPEN_ARGS, args));
}

function openImpl(func: string, a: Record<string, unknown>): FileObject {
  const file = a.file;
  if (
    !(typeof file === 'number' || typeof file === 'bigint') &&
    typeof file !== 'string' &&
    !Buffer.isBuffer(file) &&
    !(file instanceof URL)
  ) {
    throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(file)}`);
  }
  const mode = a.mode === undefined ? 'r' : a.mode;
  if (typeof mode !== 'string') throw new TypeError(`${func}() argument 'mode' must be str, not ${clinicType(mode)}`);
  let buffering = a.buffering === undefined ? -1 : toCInt(a.buffering);
  for (const k of ['encoding', 'errors', 'newline'] as const) {
    const v = a[k];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new TypeError(`${func}() argument '${k}' must be str or None, not ${pyTypeName(v)}`);
    }
  }
  const encoding = (a.encoding ?? null) as string | null;
  const errors = (a.errors ?? null) as string | null;
  const newline = (a.newline ?? null) as string | null;
  const closefd = a.closefd === undefined ? true : toBool(a.closefd);

  const seen = new Set<string>();
  for (const ch of mode) {
    if (!'xrwab+t'.includes(ch) || seen.has(ch)) throw new ValueError(`invalid mode: '${mode}'`);
    seen.add(ch);
  }
  const creating = seen.has('x');
  const reading = seen.has('r');
  const writing = seen.has('w');
  const appending = seen.has('a');
  const updating = seen.has('+');
  const text = seen.has('t');
  const binary = seen.has('b');
  if (text && binary) throw new ValueError("can't have text and binary mode at once");
  if (Number(creating) + Number(reading) + Number(writing) + Number(appending) > 1) {
    throw new ValueError('must have exactly one of create/read/write/append mode');
  }
  if (binary && encoding !== null) throw new ValueError("binary mode doesn't take an encoding argument");
  if (binary && errors !== null) throw new ValueError("binary mode doesn't take an errors argument");
  if (binary && newline !== null) throw new ValueError("binary mode doesn't take a newline argument");
  // CPython warns (RuntimeWarning) about buffering=1 in binary mode and uses the default size.

  const rawMode =
    (creating ? 'x' : '') +
    (reading ? 'r' : '') +
    (writing ? 'w' : '') +
    (appending ? 'a' : '') +
    (updating ? '+' : '');
  const raw = new FileIO(file as number | string, rawMode, { closefd, opener: a.opener ?? null });
  let result: FileObject = raw;
  try {
    let lineBuffering = false;
    if (buffering === 1 || (buffering < 0 && raw.isatty())) {
      buffering = -1;
      lineBuffering = true;
    }
    if (buffering < 0) buffering = raw._blksize;
    if (buffering === 0) {
      if (binary) return raw;
      throw new ValueError("can't have unbuffered text I/O");
    }
    let buffer: BufferedReader | BufferedWriter | BufferedRandom;
    if (updating) buffer = new BufferedRandom(raw, buffering);
    else if (creating || writing || appending) buffer = new BufferedWriter(raw, buffering);
    else if (reading) buffer = new BufferedReader(raw, buffering);
    else throw new ValueError(`unknown mode: '${mode}'`);
    result = buffer;
    if (binary) return buffer;
    const wrapper = new TextIOWrapper(buffer, encoding, errors, newline, lineBuffering);
    result = wrapper;
    wrapper.mode = mode;
    return wrapper;
  } catch (e) {
    try {
      result.close();
    } catch {
      // the first error is the one to report
    }
    throw e;
  }
}

/**
 * os.fdopen(fd, mode='r', buffering=-1, encoding=None, ...): io.open on an fd,
 * refusing anything that is not an int as Python's os.fdopen does.
 */
export function fdopen(fd: number, mode: BinaryMode, buffering: 0, ...rest: unknown[]): FileIO;
export function fdopen(fd: number, mode: BinaryMode, options: OpenOptions & { buffering: 0 }): FileIO;
export function fdopen(fd: number, mode: 'rb' | 'br', ...rest: unknown[]): BufferedReader;
export function fdopen(fd: number, mode: WriteMode, ...rest: unknown[]): BufferedWriter;
export function fdopen(fd: number, mode: RandomMode, ...rest: unknown[]): BufferedRandom;
export function fdopen(fd: number, mode?: TextMode, ...rest: unknown[]): TextIOWrapper;
export function fdopen(fd: number, options: OpenOptions & { mode?: TextMode }): TextIOWrapper;
export function fdopen(fd: number, ...rest: unknown[]): FileObject;
export function fdopen(...args: unknown[]): FileObject {
  // fdopen({ fd, mode }): os.fdopen is a Python function, fd may come by name.
  if (args.length === 1 && isKwargs(args[0]) && 'fd' in (args[0] as object)) {
    const { fd, ...rest } = args[0] as Record<string, unknown>;
    args = [fd, rest];
  }
  if (args.length === 0) throw new TypeError("fdopen() missing 1 required positional argument: 'fd'");
  const fd = args[0];
  if (!((typeof fd === 'number' && Number.isInteger(fd)) || typeof fd === 'bigint' || typeof fd === 'boolean')) {
    throw new TypeError(`invalid fd type (<class '${pyTypeName(fd)}'>, expected integer)`);
  }
  const a = bind(OPEN_ARGS, args);
  if (a.mode !== undefined && typeof a.mode !== 'string') {
    throw new TypeError(`argument of type '${pyTypeName(a.mode)}' is not iterable`);
  }
  if (typeof a.file === 'boolean') a.file = Number(a.file);
  return openImpl('open', a);
}
