// io.open and os.fdopen: CPython's _io.open — the argument checks in its
// order and wording, then FileIO, then the buffered class the mode calls for,
// then TextIOWrapper for text modes. Once FileIO exists, a failure closes it
// (and so the fd, with closefd), as CPython does.
import { bind, isKwargs, type OnlyKeys, pyTypeName, signature, toBool, toCInt } from '../convert.js';
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
  opener?: Opener | null;
}

type FileArg = number | string | Buffer | URL;
type Opener = (path: string, flags: number) => number;

export type FileObject = FileIO | BufferedReader | BufferedWriter | BufferedRandom | TextIOWrapper;

// The class io.open returns, from the mode and buffering as TypeScript sees
// them: a mode with 'b' is binary (FileIO when unbuffered, else
// BufferedRandom with '+', BufferedReader with 'r', BufferedWriter for
// 'w'/'a'/'x'), any other is text (TextIOWrapper). A mode or buffering known
// only as `string`/`number` gives every class it could be.
type BufferedFor<M extends string> = M extends `${string}+${string}`
  ? BufferedRandom
  : M extends `${string}r${string}`
    ? BufferedReader
    : BufferedWriter;
type BinaryFor<M extends string, B extends number> = [B] extends [0]
  ? FileIO
  : 0 extends B
    ? FileIO | BufferedFor<M>
    : BufferedFor<M>;
/** What io.open(file, mode, buffering) returns: `'rb'` a BufferedReader, `'rb', 0` a FileIO, `'r'` a TextIOWrapper. */
export type FileFor<M extends string, B extends number = -1> = string extends M
  ? FileObject
  : M extends `${string}b${string}`
    ? BinaryFor<M, B>
    : TextIOWrapper;
type ModeOf<O> = O extends { mode: infer M extends string } ? M : 'r';
type BufferingOf<O> = O extends { buffering: infer B extends number } ? B : -1;
type AfterMode = Omit<OpenOptions, 'mode'>;
type AfterBuffering = Omit<OpenOptions, 'mode' | 'buffering'>;

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
export function open<const M extends string = 'r', const B extends number = -1>(
  file: FileArg,
  mode?: M,
  buffering?: B,
  encoding?: string | null,
  errors?: string | null,
  newline?: string | null,
  closefd?: boolean,
  opener?: Opener | null,
): FileFor<M, B>;
export function open<const O extends OpenOptions>(
  file: FileArg,
  options: O & OnlyKeys<O, OpenOptions>,
): FileFor<ModeOf<O>, BufferingOf<O>>;
export function open<const M extends string, const O extends AfterMode>(
  file: FileArg,
  mode: M,
  options: O & OnlyKeys<O, AfterMode>,
): FileFor<M, BufferingOf<O>>;
export function open<const M extends string, const B extends number, const O extends AfterBuffering>(
  file: FileArg,
  mode: M,
  buffering: B,
  options: O & OnlyKeys<O, AfterBuffering>,
): FileFor<M, B>;
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
export function fdopen<const M extends string = 'r', const B extends number = -1>(
  fd: number,
  mode?: M,
  buffering?: B,
  encoding?: string | null,
  errors?: string | null,
  newline?: string | null,
  closefd?: boolean,
  opener?: Opener | null,
): FileFor<M, B>;
export function fdopen<const O extends OpenOptions>(
  fd: number,
  options: O & OnlyKeys<O, OpenOptions>,
): FileFor<ModeOf<O>, BufferingOf<O>>;
export function fdopen<const M extends string, const O extends AfterMode>(
  fd: number,
  mode: M,
  options: O & OnlyKeys<O, AfterMode>,
): FileFor<M, BufferingOf<O>>;
export function fdopen<const M extends string, const B extends number, const O extends AfterBuffering>(
  fd: number,
  mode: M,
  buffering: B,
  options: O & OnlyKeys<O, AfterBuffering>,
): FileFor<M, B>;
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
