// pickle.dumps: CPython 3.11's C pickler (Modules/_pickle.c) for the types
// pipefork carries, opcode for opcode, so the bytes are CPython's: the same
// memo entries (strings by value, as CPython's interned and constant strings
// are one object; every other value by identity; empty and one-byte bytes by
// value, as CPython's are singletons), the same batches of 1 000 and the
// same 64 KiB frames, committed where save() starts (_Pickler_OpcodeBoundary)
// and around payloads of 64 KiB or more (_Pickler_write_bytes).
import { Buffer } from 'node:buffer';
import { pyTypeName, toBytes } from '../convert.js';
import { OverflowError, pyValueRepr, ValueError } from '../errors.js';
import { isTuple } from '../tuple.js';
import * as op from './common.js';
import { isFrozenset, PicklingError } from './common.js';

const FRAME_SIZE_MIN = 4;
const FRAME_SIZE_TARGET = 64 * 1024;
const FRAME_HEADER_SIZE = 9;
const BATCHSIZE = 1000;
/** How many key (and str value) positions of the last dict batchDictForIn remembers. */
const KEY_CACHE_SIZE = 16;
/**
 * Strs up to this many UTF-16 units are encoded straight into the output
 * buffer, which then grows to 3 bytes per unit; longer ones are measured
 * first (Buffer.byteLength), so a huge str does not take three times its
 * size. A JS string's UTF-8 is then always under 4 GiB: BINUNICODE's size.
 */
const LONG_STR_DIRECT = 1 << 24;
/** CPython 3.11's sys.get_int_max_str_digits(): repr() of a longer int is a ValueError. */
export const INT_MAX_STR_DIGITS = 4300;

/**
 * The globals CPython's reductions of bytes (protocols 0–2), set and
 * frozenset (0–3) name; each is memoized once per pickle as CPython
 * memoizes the function or type object.
 */
const G_BYTES = { module: 'builtins', py2module: '__builtin__', name: 'bytes' };
const G_SET = { module: 'builtins', py2module: '__builtin__', name: 'set' };
const G_FROZENSET = { module: 'builtins', py2module: '__builtin__', name: 'frozenset' };
const G_ENCODE = { module: '_codecs', py2module: '_codecs', name: 'encode' };
type Global = typeof G_BYTES;

/** Memo keys for empty and one-byte bytes: CPython has one object for each value. */
const EMPTY_BYTES_KEY = {};
const BYTE_KEYS = Array.from({ length: 256 }, () => ({}));

const hex = (n: bigint) => n.toString(16);

export class Pickler {
  buf: Buffer = Buffer.allocUnsafe(4096);
  /**
   * A DataView of buf, for BINFLOAT, BININT and sizes: Buffer's
   * writeDoubleBE and the like check their arguments (~5 ns a float on
   * Node 20, 0.3 ns here).
   */
  view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  pos = 0;
  proto = op.DEFAULT_PROTOCOL;
  bin = true;
  fixImports = true;
  /** Where the open frame's 9-byte header sits, or -1. */
  frameStart = -1;
  /** The position at which the open frame holds FRAME_SIZE_TARGET bytes (Infinity without one). */
  frameLimit = Number.POSITIVE_INFINITY;
  framing = false;
  memo = new Map<unknown, number>();
  strMemo = new Map<string, number>();
  memoLen = 0;
  /** The keys of the last dict written, by position, and their memo indexes (batchDictForIn). */
  keyCache: (string | undefined)[] = new Array(KEY_CACHE_SIZE).fill(undefined);
  keyCacheIdx: number[] = new Array(KEY_CACHE_SIZE).fill(0);
  /** The str values of the last dict written, by position, and their memo indexes. */
  valCache: (string | undefined)[] = new Array(KEY_CACHE_SIZE).fill(undefined);
  valCacheIdx: number[] = new Array(KEY_CACHE_SIZE).fill(0);
  /** Whether saveDict may walk keys with for-in (Object.prototype has no enumerable property). */
  forIn = true;

  dump(obj: unknown, proto: number, fixImports: boolean): Buffer {
    this.pos = 0;
    this.proto = proto;
    this.bin = proto > 0;
    this.fixImports = fixImports && proto < 3;
    this.memoLen = 0;
    this.keyCache.fill(undefined);
    this.valCache.fill(undefined);
    this.frameStart = -1;
    this.frameLimit = Number.POSITIVE_INFINITY;
    this.framing = false;
    this.forIn = true;
    for (const _ in Object.prototype) this.forIn = false;
    try {
      if (proto >= 2) {
        this.ensure(2);
        this.buf[this.pos++] = op.PROTO;
        this.buf[this.pos++] = proto;
        if (proto >= 4) {
          this.framing = true;
          this.startFrame();
        }
      }
      this.save(obj);
      this.byte(op.STOP);
      this.commitFrame();
      return Buffer.from(this.buf.subarray(0, this.pos));
    } finally {
      // New Maps rather than clear(): in a micro-benchmark V8's clear() then
      // regrowing to 1 000 entries cost ~3x growing a new Map.
      this.memo = new Map();
      this.strMemo = new Map();
      // Don't keep a huge scratch buffer alive after one huge pickle.
      if (this.buf.length > 1 << 20) this.setBuf(Buffer.allocUnsafe(4096));
    }
  }

  // --- output -------------------------------------------------------------

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.setBuf(grown);
  }

  setBuf(b: Buffer): void {
    this.buf = b;
    this.view = new DataView(b.buffer, b.byteOffset, b.length);
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  ascii(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  u32(n: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, n, true);
    this.pos += 4;
  }

  u64(n: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(n % 2 ** 32, this.pos);
    this.buf.writeUInt32LE(Math.floor(n / 2 ** 32), this.pos + 4);
    this.pos += 8;
  }

  startFrame(): void {
    this.ensure(FRAME_HEADER_SIZE);
    this.frameStart = this.pos;
    this.pos += FRAME_HEADER_SIZE;
    this.frameLimit = this.pos + FRAME_SIZE_TARGET;
  }

  /** _Pickler_CommitFrame: write the FRAME header, or drop it for a frame under 4 bytes. */
  commitFrame(): void {
    const start = this.frameStart;
    if (start < 0) return;
    const len = this.pos - start - FRAME_HEADER_SIZE;
    if (len >= FRAME_SIZE_MIN) {
      this.buf[start] = op.FRAME;
      this.buf.writeUInt32LE(len, start + 1);
      this.buf.writeUInt32LE(0, start + 5);
    } else {
      this.buf.copyWithin(start, start + FRAME_HEADER_SIZE, this.pos);
      this.pos -= FRAME_HEADER_SIZE;
    }
    this.frameStart = -1;
    this.frameLimit = Number.POSITIVE_INFINITY;
  }

  /**
   * _Pickler_write_bytes: a payload of 64 KiB or more goes outside any
   * frame (CPython streams it past its buffer), its header too.
   */
  payload(header: number, sizeBytes: 1 | 4 | 8, data: Uint8Array, size: number): void {
    const bypass = this.framing && size >= FRAME_SIZE_TARGET;
    if (bypass) this.commitFrame();
    this.ensure(1 + sizeBytes + size);
    this.buf[this.pos++] = header;
    if (sizeBytes === 1) this.buf[this.pos++] = size;
    else if (sizeBytes === 4) this.u32(size);
    else this.u64(size);
    if (size <= 32) {
      // A short bytes is copied in the loop: set() is a call that costs more than 32 stores.
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < size; i++) buf[p++] = data[i] as number;
      this.pos = p;
    } else {
      this.buf.set(data, this.pos);
      this.pos += size;
    }
    if (bypass) this.startFrame();
  }

  // --- memo ---------------------------------------------------------------

  /** memo_put: the next memo index goes to the value just written. */
  memoPut(): number {
    const idx = this.memoLen++;
    if (this.proto >= 4) this.byte(op.MEMOIZE);
    else if (!this.bin) this.ascii(`p${idx}\n`);
    else if (idx < 256) {
      this.ensure(2);
      this.buf[this.pos++] = op.BINPUT;
      this.buf[this.pos++] = idx;
    } else {
      this.byte(op.LONG_BINPUT);
      this.u32(idx);
    }
    return idx;
  }

  memoGet(idx: number): void {
    if (!this.bin) this.ascii(`g${idx}\n`);
    else if (idx < 256) {
      this.ensure(2);
      this.buf[this.pos++] = op.BINGET;
      this.buf[this.pos++] = idx;
    } else {
      this.byte(op.LONG_BINGET);
      this.u32(idx);
    }
  }

  // --- save ---------------------------------------------------------------

  /** _Pickler_OpcodeBoundary, where CPython's save() starts: the open frame is full; start the next one. */
  boundary(): void {
    this.commitFrame();
    this.startFrame();
  }

  /** save(): every value, a dict's keys included, starts at an opcode boundary. */
  save(v: unknown): void {
    if (this.pos >= this.frameLimit) this.boundary();
    switch (typeof v) {
      case 'string':
        this.saveStr(v);
        return;
      case 'number':
        this.saveNumber(v);
        return;
      case 'boolean':
        this.saveBool(v);
        return;
      case 'undefined':
        this.byte(op.NONE);
        return;
      case 'bigint':
        if (v >= -0x80000000n && v <= 0x7fffffffn) this.saveInt(Number(v));
        else this.saveLong(v);
        return;
      case 'object':
        if (v === null) this.byte(op.NONE);
        else this.saveObject(v);
        return;
      default:
        throw new PicklingError(`cannot pickle '${typeof v}' object`);
    }
  }

  /** A number is a Python int when it is integral and not -0 (docs/pickle.md, the type mapping), else a float. */
  saveNumber(v: number): void {
    if ((v | 0) === v ? v !== 0 || 1 / v > 0 : Number.isSafeInteger(v)) this.saveInt(v);
    else this.saveFloat(v);
  }

  saveBool(v: boolean): void {
    if (this.proto >= 2) this.byte(v ? op.NEWTRUE : op.NEWFALSE);
    else this.ascii(v ? 'I01\n' : 'I00\n');
  }

  saveObject(o: object): void {
    const idx = this.memo.get(o);
    if (idx !== undefined) {
      this.memoGet(idx);
      return;
    }
    if (Array.isArray(o)) {
      if (isTuple(o)) this.saveTuple(o);
      else this.saveList(o);
      return;
    }
    if (ArrayBuffer.isView(o)) {
      this.saveBytes(toBytes(o), o);
      return;
    }
    const proto = Object.getPrototypeOf(o);
    if (proto === Object.prototype || proto === null) {
      this.saveDict(o as Record<string, unknown>);
      return;
    }
    if (o instanceof Map) this.saveMap(o);
    else if (o instanceof Set) {
      if (isFrozenset(o)) this.saveFrozenset(o);
      else this.saveSet(o);
    } else {
      throw new PicklingError(`cannot pickle '${pyTypeName(o)}' object`);
    }
  }

  /** save_long for an int that fits in a C int (32 bits): BININT1/2, BININT, or INT. */
  saveInt(v: number): void {
    if (!this.bin) {
      if (v >= -0x80000000 && v <= 0x7fffffff) this.ascii(`I${v}\n`);
      else this.saveLong(BigInt(v));
      return;
    }
    if (v >= 0 && v <= 0xff) {
      this.ensure(2);
      this.buf[this.pos++] = op.BININT1;
      this.buf[this.pos++] = v;
    } else if (v >= 0 && v <= 0xffff) {
      this.ensure(3);
      this.buf[this.pos++] = op.BININT2;
      this.buf[this.pos++] = v & 0xff;
      this.buf[this.pos++] = v >> 8;
    } else if (v >= -0x80000000 && v <= 0x7fffffff) {
      this.ensure(5);
      // Byte by byte: DataView's setInt32 was 1.4x CPython's time on a list of ints on Node 24 (1.0x on 20).
      const buf = this.buf;
      let p = this.pos;
      buf[p++] = op.BININT;
      buf[p++] = v & 0xff;
      buf[p++] = (v >> 8) & 0xff;
      buf[p++] = (v >> 16) & 0xff;
      buf[p++] = (v >> 24) & 0xff;
      this.pos = p;
    } else {
      this.saveLong(BigInt(v));
    }
  }

  /** save_long beyond 32 bits: LONG1/LONG4 (256's complement, little-endian) or the 'L...L' text. */
  saveLong(v: bigint): void {
    if (this.proto < 2) {
      const digits = v.toString();
      if (digits.length - (v < 0n ? 1 : 0) > INT_MAX_STR_DIGITS) {
        throw new ValueError(
          `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
        );
      }
      this.ascii(`L${digits}L\n`);
      return;
    }
    const bytes = longBytes(v);
    if (bytes.length < 256) {
      this.ensure(2 + bytes.length);
      this.buf[this.pos++] = op.LONG1;
      this.buf[this.pos++] = bytes.length;
    } else {
      this.byte(op.LONG4);
      this.u32(bytes.length);
      this.ensure(bytes.length);
    }
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  saveFloat(v: number): void {
    if (this.bin) {
      this.ensure(9);
      this.buf[this.pos++] = op.BINFLOAT;
      this.view.setFloat64(this.pos, v); // big-endian, as pack('>d')
      this.pos += 8;
    } else {
      this.ascii(`F${floatRepr(v)}\n`);
    }
  }

  saveStr(s: string): void {
    this.saveStrIdx(s);
  }

  /** saveStr, returning the str's memo index. */
  saveStrIdx(s: string): number {
    let idx = this.strMemo.get(s);
    if (idx !== undefined) this.memoGet(idx);
    else {
      this.writeStr(s);
      idx = this.memoPut();
      this.strMemo.set(s, idx);
    }
    return idx;
  }

  /** save_unicode without the memo: UTF-8 (surrogatepass) or, in protocol 0, raw-unicode-escape. */
  writeStr(s: string): void {
    if (!this.bin) {
      this.ascii(`V${rawUnicodeEscape(s)}\n`);
      return;
    }
    const n = s.length;
    if (n <= 85 && this.proto >= 4) {
      // At most 255 UTF-8 bytes: SHORT_BINUNICODE, its length patched after.
      this.ensure(2 + 3 * n);
      const buf = this.buf;
      const start = this.pos;
      let p = start + 2;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x80) buf[p++] = c;
        else {
          p = encodeUtf8(s, i, buf, p);
          break;
        }
      }
      buf[start] = op.SHORT_BINUNICODE;
      buf[start + 1] = p - start - 2;
      this.pos = p;
      return;
    }
    // Encoded once, straight into the buffer, when whether it goes outside
    // the frame (64 KiB or more of UTF-8) is known before its size: with
    // 64 Ki UTF-16 units or more, or fewer than a third of that (UTF-8 has
    // at most 3 bytes per unit).
    if (n <= LONG_STR_DIRECT && (!this.framing || n >= FRAME_SIZE_TARGET || 3 * n < FRAME_SIZE_TARGET)) {
      this.writeStrDirect(s);
      return;
    }
    const size = Buffer.byteLength(s, 'utf8');
    const data = isWellFormed(s) ? Buffer.from(s, 'utf8') : surrogatepass(s, size);
    if (size <= 0xff && this.proto >= 4) this.payload(op.SHORT_BINUNICODE, 1, data, size);
    else if (size <= 0xffffffff) this.payload(op.BINUNICODE, 4, data, size);
    else if (this.proto >= 4) this.payload(op.BINUNICODE8, 8, data, size);
    else throw new OverflowError('serializing a string larger than 4 GiB requires pickle protocol 4 or higher');
  }

  /**
   * A str's UTF-8 written after room for BINUNICODE's header, then the
   * header: one pass over the str, where Buffer.byteLength first cost more
   * than the encoding (12 µs per 100 KB of ASCII on Node 20, against 4).
   * Buffer writes a lone surrogate as U+FFFD (EF BF BD) where CPython's
   * surrogatepass writes its own 3 bytes; only when the output has an 0xEF
   * byte is the str checked and, if it has one, encoded again by hand.
   */
  writeStrDirect(s: string): void {
    const n = s.length;
    const bypass = this.framing && n >= FRAME_SIZE_TARGET;
    if (bypass) this.commitFrame();
    this.ensure(5 + 3 * n);
    const buf = this.buf;
    const start = this.pos + 5;
    let size = buf.write(s, start, 'utf8');
    if (size > n && buf.subarray(start, start + size).indexOf(0xef) !== -1 && !isWellFormed(s)) {
      size = encodeUtf8(s, 0, buf, start) - start;
    }
    if (size <= 0xff && this.proto >= 4) {
      // Never outside a frame: that takes 64 KiB.
      buf[this.pos] = op.SHORT_BINUNICODE;
      buf[this.pos + 1] = size;
      buf.copyWithin(this.pos + 2, start, start + size);
      this.pos += 2 + size;
    } else {
      buf[this.pos] = op.BINUNICODE;
      this.view.setUint32(this.pos + 1, size, true);
      this.pos = start + size;
    }
    if (bypass) this.startFrame();
  }

  saveBytes(b: Uint8Array, o: object): void {
    // Empty and one-byte bytes are singletons in CPython: memoized by value.
    const key = b.length === 0 ? EMPTY_BYTES_KEY : b.length === 1 ? BYTE_KEYS[b[0] as number] : o;
    if (key !== o) {
      const idx = this.memo.get(key);
      if (idx !== undefined) {
        this.memoGet(idx);
        return;
      }
    }
    if (this.proto < 3) {
      // No bytes opcode before protocol 3: CPython's reduction, as Python 2 reads it too.
      if (b.length === 0) this.saveReduce(G_BYTES, () => this.saveEmptyTuple());
      else {
        const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
        // CPython decodes a new str for each bytes, except one character,
        // which is its latin-1 singleton (the object any decoded one-char
        // str is): memoized by value like every str here.
        const str = () => (text.length === 1 ? this.saveStr(text) : this.saveFreshStr(text));
        this.saveReduce(G_ENCODE, () => this.saveFreshTuple([str, () => this.save('latin1')]));
      }
    } else {
      const n = b.length;
      if (n <= 0xff) this.payload(op.SHORT_BINBYTES, 1, b, n);
      else if (n <= 0xffffffff) this.payload(op.BINBYTES, 4, b, n);
      else if (this.proto >= 4) this.payload(op.BINBYTES8, 8, b, n);
      else throw new OverflowError('serializing a bytes object larger than 4 GiB requires pickle protocol 4 or higher');
    }
    this.memo.set(key, this.memoPut());
  }

  saveTuple(t: readonly unknown[]): void {
    const n = t.length;
    if (n === 0) {
      this.saveEmptyTuple();
      return;
    }
    // The tuple can have been memoized while its items were saved only if
    // some object was (a list or dict holding it): else no second lookup.
    const objects = this.memo.size;
    if (n <= 3 && this.proto >= 2) {
      for (let i = 0; i < n; i++) this.save(t[i]);
      const idx = this.memo.size === objects ? undefined : this.memo.get(t);
      if (idx !== undefined) {
        // The tuple was reached from its own items: drop them and fetch it.
        for (let i = 0; i < n; i++) this.byte(op.POP);
        this.memoGet(idx);
        return;
      }
      this.byte(op.TUPLE1 + n - 1);
    } else {
      this.byte(op.MARK);
      for (let i = 0; i < n; i++) this.save(t[i]);
      const idx = this.memo.size === objects ? undefined : this.memo.get(t);
      if (idx !== undefined) {
        if (this.bin) this.byte(op.POP_MARK);
        else for (let i = 0; i <= n; i++) this.byte(op.POP);
        this.memoGet(idx);
        return;
      }
      this.byte(op.TUPLE);
    }
    this.memo.set(t, this.memoPut());
  }

  saveEmptyTuple(): void {
    if (this.bin) this.byte(op.EMPTY_TUPLE);
    else this.ascii('(t');
  }

  /** save_tuple for a tuple CPython builds for a reduction: never seen again, so memoized without a key. */
  saveFreshTuple(items: (() => void)[]): void {
    const n = items.length;
    if (this.proto >= 2 && n <= 3) {
      for (const f of items) f();
      this.byte(op.TUPLE1 + n - 1);
    } else {
      this.byte(op.MARK);
      for (const f of items) f();
      this.byte(op.TUPLE);
    }
    this.memoPut();
  }

  /** A str CPython creates for a reduction (latin-1 text of bytes): a new object, so never a memo hit. */
  saveFreshStr(s: string): void {
    this.writeStr(s);
    this.memoPut();
  }

  saveList(a: readonly unknown[]): void {
    if (this.bin) this.byte(op.EMPTY_LIST);
    else this.ascii('(l');
    this.memo.set(a, this.memoPut());
    this.batchList(a);
  }

  /** batch_list / batch_list_exact: APPEND one by one in protocol 0, else MARK ... APPENDS per 1 000. */
  batchList(a: readonly unknown[]): void {
    const n = a.length;
    if (n === 0) return;
    if (!this.bin) {
      for (let i = 0; i < n; i++) {
        this.save(a[i]);
        this.byte(op.APPEND);
      }
      return;
    }
    if (n === 1) {
      this.save(a[0]);
      this.byte(op.APPEND);
      return;
    }
    let i = 0;
    do {
      this.byte(op.MARK);
      const end = Math.min(n, i + BATCHSIZE);
      for (; i < end; i++) this.save(a[i]);
      this.byte(op.APPENDS);
    } while (i < n);
  }

  saveDict(o: Record<string, unknown>): void {
    if (this.bin) this.byte(op.EMPTY_DICT);
    else this.ascii('(d');
    this.memo.set(o, this.memoPut());
    if (this.forIn) this.batchDictForIn(o);
    else this.batchDictKeys(o, Object.keys(o));
  }

  /**
   * batch_dict_exact over a plain object's keys with for-in, which walks
   * them in Object.keys order without allocating an array; used only while
   * Object.prototype has no enumerable property (checked per dump) to
   * inherit. One pass writes the items: batches of 1 000 are closed as the
   * 1 001st item arrives, so the count is needed only to tell no item and
   * one item (SETITEM, no MARK) from more, which the first loop finds
   * stopping at the second key.
   */
  batchDictForIn(o: Record<string, unknown>): void {
    let n = 0;
    let first = '';
    for (const k in o) {
      if (n++ === 0) first = k;
      else break;
    }
    if (n === 0) return;
    if (n === 1 || !this.bin) {
      for (const k of n === 1 ? [first] : forInKeys(o)) this.saveItem(k, o[k]);
      return;
    }
    this.byte(op.MARK);
    // Dicts of one shape come one after another (a list of records): the
    // key at position j is most often the same string as in the last dict,
    // whose memo index is then known without a Map lookup; so is a str
    // value at position j (strs are memoized by value: an equal str has
    // the same memo index).
    const cacheKey = this.keyCache;
    const cacheIdx = this.keyCacheIdx;
    const cacheVal = this.valCache;
    const cacheValIdx = this.valCacheIdx;
    let j = 0;
    let inBatch = 0;
    for (const k in o) {
      if (inBatch === BATCHSIZE) {
        this.byte(op.SETITEMS);
        this.byte(op.MARK);
        inBatch = 0;
      }
      inBatch++;
      if (this.pos >= this.frameLimit) this.boundary();
      if (j >= KEY_CACHE_SIZE) {
        this.saveStr(k);
        this.save(o[k]);
        continue;
      }
      if (cacheKey[j] === k) this.memoGet(cacheIdx[j] as number);
      else {
        cacheKey[j] = k;
        cacheIdx[j] = this.saveStrIdx(k);
      }
      // save(v), its common cases here without the call (a record's fields
      // are mostly strs, numbers and bools).
      const v = o[k];
      if (this.pos >= this.frameLimit) this.boundary();
      switch (typeof v) {
        case 'string':
          if (cacheVal[j] === v) this.memoGet(cacheValIdx[j] as number);
          else {
            cacheVal[j] = v;
            cacheValIdx[j] = this.saveStrIdx(v);
          }
          break;
        case 'number':
          this.saveNumber(v);
          break;
        case 'boolean':
          this.saveBool(v);
          break;
        default:
          this.save(v);
      }
      j++;
    }
    this.byte(op.SETITEMS);
    // A full last batch is followed by an empty one, as in CPython's do-while.
    if (inBatch === BATCHSIZE) {
      this.byte(op.MARK);
      this.byte(op.SETITEMS);
    }
  }

  /** batch_dict_exact over a list of keys (Object.keys when for-in could see inherited ones). */
  batchDictKeys(o: Record<string, unknown>, keys: string[]): void {
    const n = keys.length;
    if (n === 0) return;
    if (n === 1 || !this.bin) {
      for (const k of keys) this.saveItem(k, o[k]);
      return;
    }
    // A full batch is followed by another MARK ... SETITEMS, empty if nothing is left.
    let i = 0;
    let inBatch: number;
    do {
      this.byte(op.MARK);
      for (inBatch = 0; i < n && inBatch < BATCHSIZE; i++, inBatch++) {
        const k = keys[i] as string;
        if (this.pos >= this.frameLimit) this.boundary();
        this.saveStr(k);
        this.save(o[k]);
      }
      this.byte(op.SETITEMS);
    } while (inBatch === BATCHSIZE);
  }

  /** One key and value with SETITEM: a dict of one item, or any dict in protocol 0. */
  saveItem(k: string, v: unknown): void {
    if (this.pos >= this.frameLimit) this.boundary();
    this.saveStr(k);
    this.save(v);
    this.byte(op.SETITEM);
  }

  saveMap(m: Map<unknown, unknown>): void {
    if (this.bin) this.byte(op.EMPTY_DICT);
    else this.ascii('(d');
    this.memo.set(m, this.memoPut());
    const n = m.size;
    if (n === 0) return;
    const entries = [...m];
    for (const [k] of entries) checkHashable(k);
    if (!this.bin || n === 1) {
      for (const [k, v] of entries) {
        this.save(k);
        this.save(v);
        this.byte(op.SETITEM);
      }
      return;
    }
    // batch_dict_exact: a full batch is followed by another MARK ... SETITEMS, empty if nothing is left.
    let i = 0;
    let inBatch: number;
    do {
      this.byte(op.MARK);
      for (inBatch = 0; i < n && inBatch < BATCHSIZE; i++, inBatch++) {
        const [k, v] = entries[i] as [unknown, unknown];
        this.save(k);
        this.save(v);
      }
      this.byte(op.SETITEMS);
    } while (inBatch === BATCHSIZE);
  }

  saveSet(s: ReadonlySet<unknown>): void {
    for (const v of s) checkHashable(v);
    if (this.proto < 4) {
      this.saveReduce(G_SET, () => this.saveFreshTuple([() => this.saveFreshList([...s])]), s);
      return;
    }
    this.byte(op.EMPTY_SET);
    this.memo.set(s, this.memoPut());
    const n = s.size;
    if (n === 0) return;
    // As save_set: MARK ... ADDITEMS per 1 000, one more (empty) after a full batch.
    const items = [...s];
    let i = 0;
    let inBatch: number;
    do {
      this.byte(op.MARK);
      for (inBatch = 0; i < n && inBatch < BATCHSIZE; i++, inBatch++) this.save(items[i]);
      this.byte(op.ADDITEMS);
    } while (inBatch === BATCHSIZE);
  }

  saveFrozenset(s: ReadonlySet<unknown>): void {
    for (const v of s) checkHashable(v);
    if (this.proto < 4) {
      this.saveReduce(G_FROZENSET, () => this.saveFreshTuple([() => this.saveFreshList([...s])]), s);
      return;
    }
    this.byte(op.MARK);
    for (const v of s) this.save(v);
    const idx = this.memo.get(s);
    if (idx !== undefined) {
      this.byte(op.POP_MARK);
      this.memoGet(idx);
      return;
    }
    this.byte(op.FROZENSET);
    this.memo.set(s, this.memoPut());
  }

  /** The list CPython makes of a set's items for its reduction. */
  saveFreshList(items: unknown[]): void {
    if (this.bin) this.byte(op.EMPTY_LIST);
    else this.ascii('(l');
    this.memoPut();
    this.batchList(items);
  }

  /**
   * save_reduce for CPython's own reductions: the callable (a global), the
   * argument tuple, REDUCE, then the object memoized. `obj` is the value
   * reduced when it has an identity of its own (a set); bytes memoize
   * themselves in saveBytes.
   */
  saveReduce(g: Global, args: () => void, obj?: object): void {
    this.saveGlobal(g);
    args();
    this.byte(op.REDUCE);
    if (obj !== undefined) this.memo.set(obj, this.memoPut());
  }

  saveGlobal(g: Global): void {
    const idx = this.memo.get(g);
    if (idx !== undefined) {
      this.memoGet(idx);
      return;
    }
    // Only protocols 0-3 get here; 0-2 use Python 2's module names (fix_imports).
    const module = this.fixImports ? g.py2module : g.module;
    this.ascii(`c${module}\n${g.name}\n`);
    this.memo.set(g, this.memoPut());
  }
}

function* forInKeys(o: object): Generator<string> {
  for (const k in o) yield k;
}

/** An int as CPython's save_long writes it for LONG1/LONG4: 256's complement, little-endian, minimal. */
export function longBytes(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  const mag = v < 0n ? -v : v;
  const h = hex(mag);
  const nbits = (h.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(h[0] as string, 16)));
  let nbytes = (nbits >> 3) + 1;
  const twos = v < 0n ? (1n << BigInt(nbytes * 8)) + v : v;
  const digits = hex(twos).padStart(nbytes * 2, '0');
  const out = new Uint8Array(nbytes);
  for (let i = 0; i < nbytes; i++) {
    out[i] = Number.parseInt(digits.slice(digits.length - 2 * i - 2, digits.length - 2 * i), 16);
  }
  if (v < 0n && nbytes > 1 && out[nbytes - 1] === 0xff && ((out[nbytes - 2] as number) & 0x80) !== 0) nbytes--;
  return out.subarray(0, nbytes);
}

/** repr(float) with CPython's Py_DTSF_ADD_DOT_0, for protocol 0's FLOAT. */
function floatRepr(v: number): string {
  if (v === 0) return 1 / v < 0 ? '-0.0' : '0.0';
  if (Number.isSafeInteger(v)) return `${v}.0`;
  return pyValueRepr(v);
}

/** The characters raw_unicode_escape() in _pickle.c escapes below U+0100. */
const ESCAPED_LATIN1 = new Set([0x5c, 0x00, 0x0a, 0x0d, 0x1a]);

/** _pickle.c's raw_unicode_escape: \uXXXX above U+00FF and for \ NUL \n \r ^Z, \UXXXXXXXX beyond U+FFFF. */
export function rawUnicodeEscape(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x100 && !ESCAPED_LATIN1.has(c)) continue;
    out += s.slice(from, i);
    const cp = s.codePointAt(i) as number;
    if (cp > 0xffff) {
      out += `\\U${cp.toString(16).padStart(8, '0')}`;
      i++;
    } else {
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    }
    from = i + 1;
  }
  return out + s.slice(from);
}

const wellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** Does the string have no lone surrogate (so Buffer's UTF-8 is CPython's)? */
function isWellFormed(s: string): boolean {
  if (wellFormed) return wellFormed.call(s);
  return !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

/** UTF-8 with surrogatepass (CPython's fallback for lone surrogates), as bytes. */
function surrogatepass(s: string, size: number): Uint8Array {
  const out = Buffer.allocUnsafe(size);
  encodeUtf8(s, 0, out, 0);
  return out;
}

/** Encodes s[from..] as UTF-8 into buf at p, a lone surrogate as its 3-byte form; returns the end. */
function encodeUtf8(s: string, from: number, buf: Uint8Array, p: number): number {
  for (let i = from; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) buf[p++] = c;
    else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          buf[p++] = 0xf0 | (c >> 18);
          buf[p++] = 0x80 | ((c >> 12) & 0x3f);
          buf[p++] = 0x80 | ((c >> 6) & 0x3f);
          buf[p++] = 0x80 | (c & 0x3f);
          continue;
        }
      }
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}

/**
 * A dict key or set item must be hashable in Python: a list, dict or set
 * there would fail on the Python side, so dumps refuses it with CPython's
 * words. Iterative, so a deeply nested tuple cannot overflow the stack.
 */
export function checkHashable(v: unknown): void {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return;
  const todo: unknown[] = [v];
  while (todo.length > 0) {
    const x = todo.pop();
    if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x)) continue;
    if (isTuple(x)) for (const y of x) todo.push(y);
    else if (isFrozenset(x)) for (const y of x) todo.push(y);
    else throw new PicklingError(`unhashable type: '${unhashableName(x)}'`);
  }
}

function unhashableName(x: object): string {
  if (Array.isArray(x)) return 'list';
  if (x instanceof Set) return 'set';
  return pyTypeName(x);
}
