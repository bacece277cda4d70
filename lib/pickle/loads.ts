// pickle.loads: CPython 3.11's C unpickler (Modules/_pickle.c) for data
// only. The same machine (an object stack, a separate mark stack whose top
// is the fence, a memo), the same checks in the same order and the same
// messages, for every opcode of protocols 0-5. What differs is on purpose:
//
// - Nothing is imported, called or built from a name. GLOBAL and
//   STACK_GLOBAL resolve only the five names CPython's own pickles of bytes,
//   bytearray, set and frozenset use (builtins.bytes/bytearray/set/frozenset
//   and _codecs.encode; __builtin__ too below protocol 3); REDUCE calls only
//   those, only with the arguments CPython writes for them; BUILD, INST,
//   OBJ, NEWOBJ, NEWOBJ_EX, EXT1/2/4 and PERSID/BINPERSID are refused.
// - Nothing is allocated from a declared length before the input is known
//   to hold that many bytes (CPython allocates first), and the memo grows
//   only as entries arrive, so memory stays proportional to the input.
// - The loop is iterative and so are the checks after it: no nesting
//   depth can overflow the stack.
import { Buffer } from 'node:buffer';
import { pyTypeName } from '../convert.js';
import { isTuple, tuple as markTuple, tupleOf } from '../tuple.js';
import * as op from './common.js';
import { isFrozenset, frozenset as markFrozenset, UnpicklingError } from './common.js';
import {
  decodeEscape,
  decodeLegacyStr,
  decodeRawUnicodeEscape,
  decodeUtf8,
  intValue,
  parseFloatLine,
  parseIntLine,
  parseLongLine,
  parseMemoIndex,
} from './text.js';

export interface LoadOptions {
  fixImports: boolean;
  /** 'ascii', 'latin1', 'utf-8' or 'bytes': how Python 2 str opcodes decode. */
  encoding: string;
  buffers: Iterator<unknown> | null;
}

/** A global CPython's own pickles of data name; REDUCE may call it (applyGlobal). */
class Global {
  constructor(
    readonly qualname: string,
    readonly kind: 'bytes' | 'bytearray' | 'set' | 'frozenset' | 'encode',
  ) {}
}

const ALLOWED = new Map<string, Global>(
  (['bytes', 'bytearray', 'set', 'frozenset'] as const).map((k) => [`builtins.${k}`, new Global(`builtins.${k}`, k)]),
);
ALLOWED.set('_codecs.encode', new Global('_codecs.encode', 'encode'));

const OBJECT_PROTO = Object.prototype;
const SSIZE_MAX = '9223372036854775807';

const FORBIDDEN: Record<number, string> = {
  [op.BUILD]: 'BUILD',
  [op.INST]: 'INST',
  [op.OBJ]: 'OBJ',
  [op.NEWOBJ]: 'NEWOBJ',
  [op.NEWOBJ_EX]: 'NEWOBJ_EX',
  [op.EXT1]: 'EXT1',
  [op.EXT2]: 'EXT2',
  [op.EXT4]: 'EXT4',
};

/** The Python type name of a value loads() built, for CPython's messages. */
function typeName(v: unknown): string {
  if (isTuple(v)) return 'tuple';
  if (isFrozenset(v)) return 'frozenset';
  if (v instanceof Global) return v.kind === 'encode' ? 'builtin_function_or_method' : 'type';
  return pyTypeName(v);
}

const truncated = () => new UnpicklingError('pickle data was truncated');

export class Unpickler {
  readonly buf: Buffer;
  /** The same bytes, for BINFLOAT: DataView's getFloat64 is inlined by V8, Buffer's readDoubleBE checks its arguments. */
  readonly view: DataView;
  pos = 0;
  readonly end: number;
  /** The object stack; its top is stack[sp - 1] (slots past sp are stale, never read). */
  stack: unknown[] = [];
  sp = 0;
  marks: number[] = [];
  /** The top mark: nothing at or below it may be popped. */
  fence = 0;
  memo: unknown[] = [];
  /** Memo entries put at indexes beyond the dense array (hand-made pickles only). */
  sparse: Map<number, unknown> | null = null;
  memoLen = 0;
  proto = 0;
  /** Set once a GLOBAL resolved: the result is then checked to hold no bare global. */
  sawGlobal = false;
  /** Dicts that became Maps when a non-str key arrived: old object → Map. */
  replaced: Map<object, Map<unknown, unknown>> | null = null;
  /** Tuples already found hashable. */
  hashable: Set<unknown> | null = null;
  /** Buffers that are bytearrays in Python (BYTEARRAY8, bytearray()): unhashable there. */
  bytearrays: Set<unknown> | null = null;

  constructor(
    data: Uint8Array,
    readonly opts: LoadOptions,
  ) {
    this.buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.end = data.byteLength;
  }

  load(): unknown {
    const buf = this.buf;
    const stack = this.stack;
    for (;;) {
      if (this.pos >= this.end) throw new UnpicklingError('Ran out of input');
      const code = buf[this.pos++] as number;
      switch (code) {
        case 0x7d: // EMPTY_DICT
          this.push({});
          break;
        case 0x94: // MEMOIZE
          if (this.sp <= this.fence) throw this.underflow();
          if (this.memoLen === this.memo.length && this.sparse === null) {
            this.memo.push(stack[this.sp - 1]);
            this.memoLen++;
          } else this.memoPut(this.memoLen, stack[this.sp - 1]);
          break;
        case 0x28: // MARK
          this.marks.push(this.sp);
          this.fence = this.sp;
          break;
        case 0x8c: {
          // SHORT_BINUNICODE
          const n = this.size(1);
          this.push(decodeUtf8(buf, this.pos - n, this.pos));
          break;
        }
        case 0x58: {
          // BINUNICODE
          const n = this.size(4);
          this.push(decodeUtf8(buf, this.pos - n, this.pos));
          break;
        }
        case 0x8d: {
          // BINUNICODE8
          const n = this.size(8, 'BINUNICODE');
          this.push(decodeUtf8(buf, this.pos - n, this.pos));
          break;
        }
        case 0x68: // BINGET
          this.need(1);
          this.push(this.memoGet(buf[this.pos++] as number));
          break;
        case 0x6a: // LONG_BINGET
          this.need(4);
          this.push(this.memoGet(buf.readUInt32LE(this.pos)));
          this.pos += 4;
          break;
        case 0x4b: // BININT1
          this.need(1);
          this.push(buf[this.pos++]);
          break;
        case 0x4d: {
          // BININT2
          this.need(2);
          const p = this.pos;
          this.push((buf[p] as number) | ((buf[p + 1] as number) << 8));
          this.pos = p + 2;
          break;
        }
        case 0x4a: {
          // BININT
          this.need(4);
          const p = this.pos;
          this.push(
            (buf[p] as number) |
              ((buf[p + 1] as number) << 8) |
              ((buf[p + 2] as number) << 16) |
              ((buf[p + 3] as number) << 24),
          );
          this.pos = p + 4;
          break;
        }
        case 0x47: // BINFLOAT
          this.need(8);
          this.push(this.view.getFloat64(this.pos)); // big-endian, as pack('>d')
          this.pos += 8;
          break;
        case 0x88: // NEWTRUE
          this.push(true);
          break;
        case 0x89: // NEWFALSE
          this.push(false);
          break;
        case 0x4e: // NONE
          this.push(null);
          break;
        case 0x75: // SETITEMS
          this.setItems(this.marker());
          break;
        case 0x73: // SETITEM
          this.setItems(this.sp - 2);
          break;
        case 0x65: // APPENDS
          this.append(this.marker());
          break;
        case 0x61: // APPEND
          if (this.sp - 1 <= this.fence) throw this.underflow();
          this.append(this.sp - 1);
          break;
        case 0x5d: // EMPTY_LIST
          this.push([]);
          break;
        case 0x29: // EMPTY_TUPLE
          this.push(markTuple([]));
          break;
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: // TUPLE3
          this.countedTuple(code - 0x84); // TUPLE1 is 0x85
          break;
        case 0x74: {
          // TUPLE
          const i = this.marker();
          this.countedTuple(this.sp - i);
          break;
        }
        case 0x95: {
          // FRAME
          // From memory a frame is only a promise of that many bytes (load_frame).
          const n = this.size(8, 'FRAME');
          this.pos -= n;
          break;
        }
        case 0x80: {
          // PROTO
          this.need(1);
          const p = buf[this.pos++] as number;
          if (p > op.HIGHEST_PROTOCOL) throw new UnpicklingError(`unsupported pickle protocol: ${p}`);
          this.proto = p;
          break;
        }
        case 0x2e: // STOP
          return this.finish(this.pop());
        case 0x71: // BINPUT
          this.need(1);
          this.put(buf[this.pos++] as number);
          break;
        case 0x72: // LONG_BINPUT
          this.need(4);
          this.pos += 4;
          this.put(buf.readUInt32LE(this.pos - 4));
          break;
        default:
          // The cases above are literals, so V8 dispatches through a jump
          // table (constants imported from common.ts are loaded and compared
          // one by one: 15% slower on a list of dicts); the rare opcodes are
          // handled out of line.
          this.rareOpcode(code);
      }
    }
  }

  /** The opcodes CPython's own protocol 2-5 pickles of data rarely or never use. */
  rareOpcode(code: number): void {
    const buf = this.buf;
    const stack = this.stack;
    switch (code) {
      case op.POP: {
        const len = this.sp;
        if (this.marks.length > 0 && this.marks[this.marks.length - 1] === len) this.popMark();
        else if (len <= this.fence) throw this.underflow();
        else this.sp--;
        return;
      }
      case op.POP_MARK:
        this.sp = this.marker();
        return;
      case op.DUP:
        if (this.sp <= this.fence) throw this.underflow();
        this.push(stack[this.sp - 1]);
        return;
      case op.INT: {
        const [s, e] = this.line(2);
        this.push(parseIntLine(buf, s, e));
        return;
      }
      case op.LONG: {
        const [s, e] = this.line(2);
        this.push(parseLongLine(buf, s, e));
        return;
      }
      case op.LONG1:
        this.need(1);
        this.push(this.counted(buf[this.pos++] as number));
        return;
      case op.LONG4: {
        this.need(4);
        const n = buf.readInt32LE(this.pos);
        this.pos += 4;
        if (n < 0) throw new UnpicklingError('LONG pickle has negative byte count');
        this.push(this.counted(n));
        return;
      }
      case op.FLOAT: {
        const [s, e] = this.line(2);
        this.push(parseFloatLine(buf, s, e));
        return;
      }
      case op.SHORT_BINBYTES:
        this.push(this.bytes(this.size(1)));
        return;
      case op.BINBYTES:
        this.push(this.bytes(this.size(4)));
        return;
      case op.BINBYTES8:
        this.push(this.bytes(this.size(8, 'BINBYTES')));
        return;
      case op.BYTEARRAY8:
        this.push(this.bytearray(this.bytes(this.size(8, 'BYTEARRAY8'))));
        return;
      case op.SHORT_BINSTRING:
        this.push(decodeLegacyStr(this.bytes(this.size(1)), this.opts.encoding));
        return;
      case op.BINSTRING:
        this.push(decodeLegacyStr(this.bytes(this.size(4)), this.opts.encoding));
        return;
      case op.STRING:
        this.push(this.string());
        return;
      case op.UNICODE: {
        const [s, e] = this.line(1);
        this.push(decodeRawUnicodeEscape(buf, s, e - 1));
        return;
      }
      case op.LIST: {
        const i = this.marker();
        this.push(this.take(i));
        return;
      }
      case op.DICT:
        this.dict();
        return;
      case op.EMPTY_SET:
        this.push(new Set());
        return;
      case op.ADDITEMS:
        this.addItems();
        return;
      case op.FROZENSET: {
        const items = this.take(this.marker());
        for (const v of items) this.checkHashable(v);
        this.push(markFrozenset(new Set(items)));
        return;
      }
      case op.GET: {
        const [s, e] = this.line(2);
        this.push(this.memoGet(parseMemoIndex(buf, s, e)));
        return;
      }
      case op.PUT: {
        const [s, e] = this.line(2);
        if (this.sp <= this.fence) throw this.underflow();
        const idx = parseMemoIndex(buf, s, e);
        if (idx < 0) throw new UnpicklingError('negative PUT argument');
        this.memoPut(idx, stack[this.sp - 1]);
        return;
      }
      case op.GLOBAL: {
        const [ms, me] = this.line(2);
        const module = decodeUtf8(buf, ms, me - 1);
        const [ns, ne] = this.line(2);
        this.push(this.findClass(module, decodeUtf8(buf, ns, ne - 1)));
        return;
      }
      case op.STACK_GLOBAL: {
        const name = this.pop();
        const module = this.pop();
        if (typeof module !== 'string' || typeof name !== 'string') {
          throw new UnpicklingError('STACK_GLOBAL requires str');
        }
        this.push(this.findClass(module, name));
        return;
      }
      case op.REDUCE: {
        const args = this.pop();
        const callable = this.pop();
        this.push(applyGlobal(callable, args, this));
        return;
      }
      case op.PERSID:
      case op.BINPERSID:
        throw new UnpicklingError(
          'A load persistent id instruction was encountered,\nbut no persistent_load function was specified.',
        );
      case op.NEXT_BUFFER: {
        const it = this.opts.buffers;
        if (it === null) {
          throw new UnpicklingError('pickle stream refers to out-of-band data but no *buffers* argument was given');
        }
        const next = it.next();
        if (next.done) throw new UnpicklingError('not enough out-of-band buffers');
        const b = next.value;
        if (!ArrayBuffer.isView(b)) {
          throw new UnpicklingError(`a bytes-like object is required, not '${typeName(b)}'`);
        }
        // Out-of-band means zero-copy: the caller's memory, as in CPython.
        this.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
        return;
      }
      case op.READONLY_BUFFER: {
        if (this.sp <= this.fence) throw this.underflow();
        const top = stack[this.sp - 1];
        if (!ArrayBuffer.isView(top)) {
          throw new UnpicklingError(`memoryview: a bytes-like object is required, not '${typeName(top)}'`);
        }
        // JS has no read-only Buffer: the bytes stay as they are, now hashable as a read-only memoryview is.
        this.bytearrays?.delete(top);
        return;
      }
    }
    const name = FORBIDDEN[code];
    if (name !== undefined) {
      throw new UnpicklingError(
        `opcode ${name} is forbidden: pipefork's pickle loads data only and never builds an object of a class`,
      );
    }
    const c = code;
    throw new UnpicklingError(
      c >= 0x20 && c <= 0x7e && c !== 0x27 && c !== 0x5c
        ? `invalid load key, '${String.fromCharCode(c)}'.`
        : `invalid load key, '\\x${c.toString(16).padStart(2, '0')}'.`,
    );
  }

  // --- input --------------------------------------------------------------

  need(n: number): void {
    if (this.end - this.pos < n) throw truncated();
  }

  /**
   * A size of `width` bytes (little-endian, unsigned), then that many bytes
   * made sure of: pos ends past them. 8-byte sizes beyond a C ssize_t get
   * CPython's OverflowError text; any size beyond the input is "truncated"
   * before anything is allocated.
   */
  size(width: 1 | 4 | 8, what = ''): number {
    this.need(width);
    const buf = this.buf;
    let n: number;
    if (width === 1) n = buf[this.pos] as number;
    else if (width === 4) n = buf.readUInt32LE(this.pos);
    else {
      const hi = buf.readUInt32LE(this.pos + 4);
      if (hi >= 0x80000000) {
        throw new UnpicklingError(
          what === 'FRAME'
            ? `FRAME length exceeds system's maximum of ${SSIZE_MAX} bytes`
            : `${what} exceeds system's maximum size of ${SSIZE_MAX} bytes`,
        );
      }
      n = hi * 2 ** 32 + buf.readUInt32LE(this.pos);
    }
    this.pos += width;
    if (this.end - this.pos < n) throw truncated();
    this.pos += n;
    return n;
  }

  bytearray(b: Buffer): Buffer {
    this.bytearrays ??= new Set();
    this.bytearrays.add(b);
    return b;
  }

  /** The n bytes just passed, copied (the caller may reuse its buffer). */
  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    const from = this.pos - n;
    if (n <= 32) {
      // A short bytes is copied in the loop: Buffer's copy() is a native call that costs more than 32 stores.
      const buf = this.buf;
      for (let i = 0; i < n; i++) out[i] = buf[from + i] as number;
    } else this.buf.copy(out, 0, from, this.pos);
    return out;
  }

  /** A line ending in \n of at least `min` bytes with it: [start, end past the \n]. */
  line(min: number): [number, number] {
    const nl = this.buf.indexOf(0x0a, this.pos);
    if (nl === -1 || nl >= this.end) throw truncated();
    const start = this.pos;
    this.pos = nl + 1;
    if (this.pos - start < min) throw truncated();
    return [start, this.pos];
  }

  /** LONG1/LONG4's n bytes: a little-endian 256's-complement int. */
  counted(n: number): number | bigint {
    this.need(n);
    const buf = this.buf;
    const start = this.pos;
    this.pos += n;
    if (n === 0) return 0;
    if (n <= 6) return buf.readIntLE(start, n);
    let hex = '';
    for (let i = start + n - 1; i >= start; i--) hex += (buf[i] as number).toString(16).padStart(2, '0');
    let v = BigInt(`0x${hex}`);
    if ((buf[start + n - 1] as number) >= 0x80) v -= 1n << BigInt(8 * n);
    return intValue(v);
  }

  /** STRING: a quoted bytes literal of Python 2, decoded with the unpickler's encoding. */
  string(): string | Buffer {
    const [s, e] = this.line(1);
    const buf = this.buf;
    const len = e - s - 1;
    const q = buf[s];
    if (len < 2 || q !== buf[e - 2] || (q !== 0x27 && q !== 0x22)) {
      throw new UnpicklingError('the STRING opcode argument must be quoted');
    }
    return decodeLegacyStr(decodeEscape(buf.subarray(s + 1, e - 2)), this.opts.encoding);
  }

  // --- stack --------------------------------------------------------------

  push(v: unknown): void {
    this.stack[this.sp++] = v;
  }

  /** The items from `start` to the top, as a new array, popped. */
  take(start: number): unknown[] {
    const items = this.stack.slice(start, this.sp);
    this.sp = start;
    return items;
  }

  underflow(): UnpicklingError {
    return new UnpicklingError(this.marks.length > 0 ? 'unexpected MARK found' : 'unpickling stack underflow');
  }

  pop(): unknown {
    if (this.sp <= this.fence) throw this.underflow();
    return this.stack[--this.sp];
  }

  popMark(): number {
    const mark = this.marks.pop() as number;
    this.fence = this.marks.length > 0 ? (this.marks[this.marks.length - 1] as number) : 0;
    return mark;
  }

  /** marker(): the position of the top mark, which is popped. */
  marker(): number {
    if (this.marks.length === 0) throw new UnpicklingError('could not find MARK');
    return this.popMark();
  }

  countedTuple(len: number): void {
    const stack = this.stack;
    if (this.sp < len) throw this.underflow();
    const start = this.sp - len;
    if (start < this.fence) throw this.underflow();
    // Made at its size and filled from the stack: no intermediate array.
    const t = tupleOf(len);
    for (let i = 0; i < len; i++) t[i] = stack[start + i];
    this.sp = start;
    this.push(t);
  }

  // --- memo ---------------------------------------------------------------

  memoGet(idx: number): unknown {
    const v = idx < this.memo.length ? this.memo[idx] : this.sparse?.get(idx);
    if (v === undefined) throw new UnpicklingError(`Memo value not found at index ${idx}`);
    return this.replaced === null ? v : (this.replaced.get(v as object) ?? v);
  }

  put(idx: number): void {
    if (this.sp <= this.fence) throw this.underflow();
    this.memoPut(idx, this.stack[this.sp - 1]);
  }

  /** _Unpickler_MemoPut: memoLen counts filled entries, as CPython's memo_len. */
  memoPut(idx: number, v: unknown): void {
    const memo = this.memo;
    if (idx < memo.length) memo[idx] = v;
    else if (idx === memo.length) {
      memo.push(v);
      if (!this.sparse?.delete(idx)) this.memoLen++;
    } else {
      this.sparse ??= new Map();
      if (!this.sparse.has(idx)) this.memoLen++;
      this.sparse.set(idx, v);
    }
  }

  // --- containers ---------------------------------------------------------

  append(x: number): void {
    const stack = this.stack;
    const len = this.sp;
    if (x > len || x <= this.fence) throw this.underflow();
    if (len === x) return;
    const list = stack[x - 1];
    if (!Array.isArray(list) || isTuple(list)) {
      throw new UnpicklingError(`'${typeName(list)}' object has no attribute 'append'`);
    }
    const l = list as unknown[];
    for (let i = x; i < len; i++) l.push(stack[i]);
    this.sp = x;
  }

  /** do_setitems: a plain object while every key is a str, a Map from the first key that is not. */
  setItems(x: number): void {
    const stack = this.stack;
    const len = this.sp;
    if (x > len || x <= this.fence) throw this.underflow();
    if (len === x) return;
    if ((len - x) % 2 !== 0) throw new UnpicklingError('odd number of items for SETITEMS');
    let d = stack[x - 1] as object;
    if (this.replaced !== null) d = this.replaced.get(d) ?? d;
    if (d instanceof Map) {
      for (let i = x; i < len; i += 2) {
        this.checkHashable(stack[i]);
        d.set(stack[i], stack[i + 1]);
      }
    } else if (typeof d === 'object' && d !== null && Object.getPrototypeOf(d) === OBJECT_PROTO) {
      let allStr = true;
      for (let i = x; i < len; i += 2) if (typeof stack[i] !== 'string') allStr = false;
      if (allStr) {
        const o = d as Record<string, unknown>;
        for (let i = x; i < len; i += 2) {
          const k = stack[i] as string;
          if (k !== '__proto__') o[k] = stack[i + 1];
          else setKey(o, k, stack[i + 1]);
        }
      } else {
        const m = this.toMap(d as Record<string, unknown>);
        for (let i = x; i < len; i += 2) {
          this.checkHashable(stack[i]);
          m.set(stack[i], stack[i + 1]);
        }
      }
    } else {
      throw new UnpicklingError(`'${typeName(d)}' object does not support item assignment`);
    }
    this.sp = x;
  }

  /** A dict that turns out to have a non-str key becomes a Map; references to it are fixed in finish(). */
  toMap(o: Record<string, unknown>): Map<unknown, unknown> {
    const m = new Map<unknown, unknown>(Object.entries(o));
    this.replaced ??= new Map();
    this.replaced.set(o, m);
    return m;
  }

  dict(): void {
    const stack = this.stack;
    const i = this.marker();
    const j = this.sp;
    if ((j - i) % 2 !== 0) throw new UnpicklingError('odd number of items for DICT');
    let allStr = true;
    for (let k = i; k < j; k += 2) if (typeof stack[k] !== 'string') allStr = false;
    let d: object;
    if (allStr) {
      const o: Record<string, unknown> = {};
      for (let k = i; k < j; k += 2) setKey(o, stack[k] as string, stack[k + 1]);
      d = o;
    } else {
      const m = new Map<unknown, unknown>();
      for (let k = i; k < j; k += 2) {
        this.checkHashable(stack[k]);
        m.set(stack[k], stack[k + 1]);
      }
      d = m;
    }
    this.sp = i;
    this.push(d);
  }

  addItems(): void {
    const stack = this.stack;
    const mark = this.marker();
    const len = this.sp;
    if (mark > len || mark <= this.fence) throw this.underflow();
    if (len === mark) return;
    const set = stack[mark - 1];
    if (!(set instanceof Set) || isFrozenset(set)) {
      throw new UnpicklingError(`'${typeName(set)}' object has no attribute 'add'`);
    }
    const st = set as Set<unknown>;
    for (let i = mark; i < len; i++) {
      this.checkHashable(stack[i]);
      st.add(stack[i]);
    }
    this.sp = mark;
  }

  /**
   * A dict key or set item must be hashable, as in CPython: no list, dict,
   * set or bytearray (a Buffer loaded as one). Iterative, and each tuple is
   * looked through once per pickle.
   */
  checkHashable(v: unknown): void {
    if (typeof v !== 'object' || v === null || (ArrayBuffer.isView(v) && this.bytearrays === null)) return;
    const todo: unknown[] = [v];
    while (todo.length > 0) {
      const x = todo.pop();
      if (typeof x !== 'object' || x === null) continue;
      if (ArrayBuffer.isView(x)) {
        if (this.bytearrays?.has(x)) throw new UnpicklingError("unhashable type: 'bytearray'");
        continue;
      }
      if (isTuple(x) || isFrozenset(x)) {
        this.hashable ??= new Set();
        if (this.hashable.has(x)) continue;
        this.hashable.add(x);
        for (const y of x) todo.push(y);
      } else if (!(x instanceof Global)) {
        throw new UnpicklingError(`unhashable type: '${typeName(this.replaced?.get(x) ?? x)}'`);
      }
    }
  }

  // --- globals ------------------------------------------------------------

  /** find_class, restricted to CPython's own encodings of data. */
  findClass(module: string, name: string): Global {
    let m = module;
    if (this.proto < 3 && this.opts.fixImports && m === '__builtin__') m = 'builtins';
    const g = ALLOWED.get(`${m}.${name}`);
    if (g === undefined) throw new UnpicklingError(`global '${module}.${name}' is forbidden`);
    this.sawGlobal = true;
    return g;
  }

  // --- the end ------------------------------------------------------------

  /**
   * The value on top at STOP. When a global was named or a dict became a
   * Map, one walk over the result (iterative) replaces references to the
   * old dicts and refuses a bare global left anywhere in it.
   */
  finish(value: unknown): unknown {
    if (!this.sawGlobal && this.replaced === null) return value;
    const replaced = this.replaced;
    const fix = (v: unknown): unknown => {
      if (v instanceof Global) throw new UnpicklingError(`global '${v.qualname}' is forbidden outside a REDUCE`);
      return replaced?.get(v as object) ?? v;
    };
    const root = fix(value);
    const seen = new Set<unknown>();
    const todo: unknown[] = [root];
    while (todo.length > 0) {
      const x = todo.pop();
      if (typeof x !== 'object' || x === null || seen.has(x) || ArrayBuffer.isView(x)) continue;
      seen.add(x);
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) {
          const w = fix(x[i]);
          if (w !== x[i]) x[i] = w;
          todo.push(w);
        }
      } else if (x instanceof Map) {
        for (const [k, v] of x) {
          fix(k);
          const w = fix(v);
          if (w !== v) x.set(k, w);
          todo.push(k, w);
        }
      } else if (x instanceof Set) {
        for (const v of x) {
          fix(v);
          todo.push(v);
        }
      } else {
        const o = x as Record<string, unknown>;
        for (const k of Object.keys(o)) {
          const v = o[k];
          const w = fix(v);
          if (w !== v) setKey(o, k, w);
          todo.push(w);
        }
      }
    }
    return root;
  }
}

/** o[k] = v, where a '__proto__' key is an own property, never the prototype. */
function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

const isLatin1Str = (s: unknown): boolean => typeof s === 'string' && !/[^\u0000-\u00ff]/.test(s);

/**
 * REDUCE: only an allowed global, only with the arguments CPython's own
 * reductions give it (CPython's Lib/pickle.py save_bytes, save_bytearray, save_set,
 * save_frozenset; Python 2's bytearray.__reduce__). bytearray(n) and the
 * like would allocate from a number in the input: refused.
 */
function applyGlobal(callable: unknown, args: unknown, u: Unpickler): unknown {
  if (!(callable instanceof Global)) throw new UnpicklingError(`'${typeName(callable)}' object is not callable`);
  if (!isTuple(args)) throw new UnpicklingError('argument list must be a tuple');
  const [a, b] = args;
  const n = args.length;
  switch (callable.kind) {
    case 'bytes':
      if (n === 0) return Buffer.alloc(0);
      break;
    case 'bytearray':
      if (n === 0) return u.bytearray(Buffer.alloc(0));
      if (n === 1 && ArrayBuffer.isView(a)) {
        return u.bytearray(Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
      }
      if (n === 2 && isLatin1Str(a) && (b === 'latin-1' || b === 'latin1')) {
        return u.bytearray(Buffer.from(a as string, 'latin1'));
      }
      break;
    case 'set':
    case 'frozenset':
      if (n === 0 || (n === 1 && Array.isArray(a))) {
        const items = (a as unknown[] | undefined) ?? [];
        for (const v of items) u.checkHashable(v);
        const s = new Set(items);
        return callable.kind === 'frozenset' ? markFrozenset(s) : s;
      }
      break;
    case 'encode':
      if (n === 2 && typeof a === 'string' && b === 'latin1') {
        if (!isLatin1Str(a)) {
          const chars = [...(a as string)];
          const i = chars.findIndex((ch) => (ch.codePointAt(0) as number) > 0xff);
          const cp = (chars[i] as string).codePointAt(0)?.toString(16) ?? '';
          const esc = cp.length <= 4 ? `\\u${cp.padStart(4, '0')}` : `\\U${cp.padStart(8, '0')}`;
          throw new UnpicklingError(
            `'latin-1' codec can't encode character '${esc}' in position ${i}: ordinal not in range(256)`,
          );
        }
        return Buffer.from(a, 'latin1');
      }
      break;
  }
  throw new UnpicklingError(
    `REDUCE of ${callable.qualname} with these arguments is forbidden: only CPython's own encodings of bytes, bytearray, set and frozenset are accepted`,
  );
}
