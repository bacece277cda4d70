// io.StringIO: CPython's in-memory text stream (Modules/_io/stringio.c).
// Positions count characters as Python does (code points: a surrogate pair
// is one); the newline argument works as in CPython, where translation
// happens when text is written, not when it is read.
import { bind, pyTypeName, signature, sizeArg, toCInt, toSsize } from '../convert.js';
import { OSError, ValueError } from '../errors.js';
import { TextIOBase } from './bases.js';
import {
  HIGH_SURROGATE,
  ioArgsError,
  isHigh,
  isLow,
  NEWLINES,
  newlineKinds,
  pyLen,
  seekArgsError,
  unsupported,
} from './common.js';

/** StringIO's own wording, without the full stop (IOBase's methods keep theirs). */
const CLOSED = 'I/O operation on closed file';

/** The UTF-16 index of code point `cp` of s (s.length when s is shorter). */
function unitIndex(s: string, cp: number, astral: boolean): number {
  if (!astral) return Math.min(cp, s.length);
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) {
    i += isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

const STRINGIO_ARGS = signature('clinic', 'StringIO', ['initial_value', 'newline'], { required: 0 });

/** StringIO(initial_value='', newline='\n'): a text file object over a str in memory. */
export class StringIO extends TextIOBase {
  private buf = '';
  /** The length of buf in code points. */
  private len = 0;
  /** Whether buf may hold a surrogate pair (then indexes need a scan). */
  private astral = false;
  private pos = 0;
  private _closed = false;
  // From the newline argument, as stringio.c's __init__ derives them.
  private readonly readUniversal: boolean;
  private readonly readTranslate: boolean;
  private readonly readNl: string;
  private readonly writeNl: string | null;
  /** The newline kinds written so far (IncrementalNewlineDecoder's seennl); null without universal newlines. */
  private seenNl: number | null;

  constructor(
    initial_value?: string | null | { initial_value?: string | null; newline?: string | null },
    newline?: string | null | { newline?: string | null },
  );
  constructor(...args: unknown[]) {
    super();
    const a = bind(STRINGIO_ARGS, args);
    const nl = a.newline === undefined ? '\n' : a.newline;
    if (nl !== null && typeof nl !== 'string')
      throw new TypeError(`newline must be str or None, not ${pyTypeName(nl)}`);
    if (nl !== null && nl !== '' && nl !== '\n' && nl !== '\r' && nl !== '\r\n') {
      throw new ValueError(`illegal newline value: '${nl}'`);
    }
    const init = a.initial_value;
    if (init !== undefined && init !== null && typeof init !== 'string') {
      throw new TypeError(`initial_value must be str or None, not ${pyTypeName(init)}`);
    }
    this.readUniversal = nl === null || nl === '';
    this.readTranslate = nl === null;
    this.readNl = nl ?? '\n';
    this.writeNl = nl?.startsWith('\r') ? nl : null;
    this.seenNl = this.readUniversal ? 0 : null;
    if (typeof init === 'string' && init.length > 0) {
      this._write(init);
      this.pos = 0;
    }
  }

  private _check(): void {
    if (this._closed) throw new ValueError(CLOSED);
  }

  override get closed(): boolean {
    return this._closed;
  }

  get line_buffering(): boolean {
    this._check();
    return false;
  }

  /** The newline kinds written so far, with universal newlines (newline None or ''); else None. */
  override get newlines(): string | string[] | null {
    this._check();
    return this.seenNl === null ? null : (NEWLINES[this.seenNl] ?? null);
  }

  override readable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'readable', 0, arguments.length);
    this._check();
    return true;
  }

  override writable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'writable', 0, arguments.length);
    this._check();
    return true;
  }

  override seekable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'seekable', 0, arguments.length);
    this._check();
    return true;
  }

  /**
   * flush(): nothing to do, even once closed: StringIO's close() does not
   * set what IOBase.flush checks, so CPython's flush() never raises here.
   */
  override flush(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'flush', 0, arguments.length);
  }

  getvalue(): string {
    if (arguments.length > 0) throw ioArgsError(this, 'getvalue', 0, arguments.length);
    this._check();
    return this.buf;
  }

  /** The text from the position on, at most n characters (all when n < 0); moves past it. */
  private _take(n: number): string {
    if (this.pos >= this.len) return '';
    const end = n < 0 ? this.len : Math.min(this.len, this.pos + n);
    const a = unitIndex(this.buf, this.pos, this.astral);
    const b = this.astral ? a + unitIndex(this.buf.slice(a), end - this.pos, true) : end;
    this.pos = end;
    return this.buf.slice(a, b);
  }

  override read(size?: number | null): string {
    if (arguments.length > 1) throw ioArgsError(this, 'read', 1, arguments.length);
    const n = sizeArg(size, -1);
    this._check();
    return this._take(n);
  }

  /** Where the line starting at unit index `from` ends (just past its ending), or -1: _PyIO_find_line_ending. */
  private _lineEnd(from: number): number {
    const s = this.buf;
    if (this.readTranslate) {
      const i = s.indexOf('\n', from);
      return i < 0 ? -1 : i + 1;
    }
    if (this.readUniversal) {
      const nl = s.indexOf('\n', from);
      const cr = s.indexOf('\r', from);
      if (cr < 0) return nl < 0 ? -1 : nl + 1;
      if (nl >= 0 && nl < cr) return nl + 1;
      return s.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
    }
    const i = s.indexOf(this.readNl, from);
    return i < 0 ? -1 : i + this.readNl.length;
  }

  /** readline(size=-1): one line with its ending (as the newline argument defines lines), at most size characters. */
  override readline(size?: number | null): string {
    if (arguments.length > 1) throw ioArgsError(this, 'readline', 1, arguments.length);
    const limit = sizeArg(size, -1);
    this._check();
    return this._readline(limit);
  }

  private _readline(limit: number): string {
    if (this.pos >= this.len) return '';
    const a = unitIndex(this.buf, this.pos, this.astral);
    const end = this._lineEnd(a);
    const line = this.buf.slice(a, end < 0 ? this.buf.length : end);
    const n = this.astral ? pyLen(line) : line.length;
    return this._take(limit >= 0 && limit < n ? limit : n);
  }

  /** write(s): writes s at the position (NULs fill a gap past the end); returns len(s). */
  override write(s: string): number;
  override write(s: unknown): number {
    if (arguments.length !== 1) throw ioArgsError(this, 'write', 1, arguments.length, true);
    if (typeof s !== 'string') {
      throw new TypeError(
        `string argument expected, got '${s === null || s === undefined ? 'NoneType' : pyTypeName(s)}'`,
      );
    }
    this._check();
    if (s.length > 0) this._write(s);
    return pyLen(s);
  }

  /** write_str: newlines translated as written (universal: \r\n and \r become \n; newline '\r' or '\r\n': \n becomes it). */
  private _write(s: string): void {
    let text = s;
    if (this.seenNl !== null) {
      this.seenNl |= newlineKinds(text);
      if (this.readTranslate && text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    }
    if (this.writeNl !== null) text = text.replaceAll('\n', this.writeNl);
    if (HIGH_SURROGATE.test(text)) this.astral = true;
    const n = this.astral ? pyLen(text) : text.length;
    if (this.pos > this.len) {
      this.buf += '\0'.repeat(this.pos - this.len);
      this.len = this.pos;
    }
    const a = unitIndex(this.buf, this.pos, this.astral);
    const end = this.pos + n;
    if (end >= this.len) {
      this.buf = this.buf.slice(0, a) + text;
      this.len = end;
    } else {
      const b = a + unitIndex(this.buf.slice(a), n, this.astral);
      this.buf = this.buf.slice(0, a) + text + this.buf.slice(b);
    }
    this.pos = end;
  }

  /** seek(pos, whence=SEEK_SET): any position from the start; only 0 relative to the position or the end. */
  override seek(pos: number, whence?: number): number;
  override seek(...args: unknown[]): number {
    if (args.length > 2) throw ioArgsError(this, 'seek', 2, args.length);
    if (args.length === 0) throw seekArgsError();
    const p = toSsize(args[0]);
    const whence = args.length > 1 ? toCInt(args[1]) : 0;
    this._check();
    if (whence !== 0 && whence !== 1 && whence !== 2) {
      throw new ValueError(`Invalid whence (${whence}, should be 0, 1 or 2)`);
    }
    if (p < 0 && whence === 0) throw new ValueError(`Negative seek position ${p}`);
    if (whence !== 0 && p !== 0) throw new OSError("Can't do nonzero cur-relative seeks");
    if (whence === 0) this.pos = p;
    else if (whence === 2) this.pos = this.len;
    return this.pos;
  }

  override tell(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'tell', 0, arguments.length);
    this._check();
    return this.pos;
  }

  /** truncate(pos=None): cut to that many characters (the position by default); never moves the position. */
  override truncate(size?: number | null): number {
    if (arguments.length > 1) throw ioArgsError(this, 'truncate', 1, arguments.length);
    const given = sizeArg(size, -1);
    this._check();
    const n = size === undefined || size === null ? this.pos : given;
    if (n < 0) throw new ValueError(`Negative size value ${n}`);
    if (n < this.len) {
      this.buf = this.buf.slice(0, unitIndex(this.buf, n, this.astral));
      this.len = n;
    }
    return n;
  }

  override fileno(): number {
    throw unsupported('fileno');
  }

  override close(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'close', 0, arguments.length);
    this._closed = true;
    this.buf = '';
    this.len = 0;
  }

  /** for (const line of s): readline() until '', with StringIO's own closed check on each line. */
  override [Symbol.iterator](): Iterator<string> {
    return {
      next: (): IteratorResult<string> => {
        this._check();
        const line = this._readline(-1);
        return line.length === 0 ? { done: true, value: undefined } : { done: false, value: line };
      },
    };
  }

  override toString(): string {
    return '<_io.StringIO object>';
  }
}
