// Python's `struct` module: the framing IPC code uses (`struct.pack('<i', n)`),
// with CPython's sizes, alignment and error messages. Integers come back as
// numbers, or BigInts for 'q'/'Q'/'n'/'N' values beyond 2**53.

/** struct.error */
export class error extends Error {}
Object.defineProperty(error.prototype, 'name', { value: 'struct.error' });

interface Code {
  ch: string;
  size: number;
  align: number;
  signed?: boolean;
}

type Item = { code: Code; count: number; offset: number };
type Plan = { size: number; little: boolean; items: Item[]; needsZero: boolean; values: number };

// Standard sizes ('<', '>', '!', '=') and native ones ('@', x86_64/arm64 LP64).
const STD: Record<string, number> = {
  x: 1,
  c: 1,
  b: 1,
  B: 1,
  '?': 1,
  h: 2,
  H: 2,
  i: 4,
  I: 4,
  l: 4,
  L: 4,
  q: 8,
  Q: 8,
  e: 2,
  f: 4,
  d: 8,
  s: 1,
  p: 1,
};
const NATIVE: Record<string, number> = { ...STD, l: 8, L: 8, n: 8, N: 8, P: 8 };
const SIGNED = new Set(['b', 'h', 'i', 'l', 'q', 'n']);
const LITTLE_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const cache = new Map<string, Plan>();

function compile(fmt: string): Plan {
  let plan = cache.get(fmt);
  if (plan) return plan;
  let i = 0;
  let little = LITTLE_HOST;
  let native = true;
  const first = fmt[0];
  if (first === '<' || first === '>' || first === '!' || first === '=' || first === '@') {
    i = 1;
    native = first === '@';
    little = first === '<' || ((first === '=' || first === '@') && LITTLE_HOST);
  }
  const sizes = native ? NATIVE : STD;
  const items: Item[] = [];
  let offset = 0;
  while (i < fmt.length) {
    const c = fmt[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let count = 1;
    let digits = '';
    while (i < fmt.length && /[0-9]/.test(fmt[i] as string)) digits += fmt[i++];
    if (digits) count = Number(digits);
    const ch = fmt[i++];
    if (ch === undefined) throw new error('repeat count given without format specifier');
    const size = sizes[ch];
    if (size === undefined) throw new error('bad char in struct format');
    const align = native && ch !== 's' && ch !== 'p' && ch !== 'x' ? size : 1;
    offset = Math.ceil(offset / align) * align;
    const code: Code = { ch, size, align, signed: SIGNED.has(ch) };
    items.push({ code, count, offset });
    offset += ch === 's' || ch === 'p' ? count : size * count;
  }
  let packed = 0;
  for (const it of items) packed += it.code.ch === 's' || it.code.ch === 'p' ? it.count : it.code.size * it.count;
  const needsZero = packed !== offset || items.some((it) => 'xsp'.includes(it.code.ch));
  plan = { size: offset, little, items, needsZero, values: 0 };
  plan.values = valueCount(plan);
  cache.set(fmt, plan);
  return plan;
}

/** The number of values a plan packs ('s' and 'p' take one value per count; 'x' none). */
function valueCount(plan: Plan): number {
  let n = 0;
  for (const it of plan.items) n += it.code.ch === 'x' ? 0 : it.code.ch === 's' || it.code.ch === 'p' ? 1 : it.count;
  return n;
}

export function calcsize(format: string): number {
  return compile(format).size;
}

const RANGE_MSG: Record<string, string> = {
  b: 'byte format requires -128 <= number <= 127',
  B: 'ubyte format requires 0 <= number <= 255',
  h: 'short format requires -32768 <= number <= 32767',
  H: 'ushort format requires 0 <= number <= 65535',
  i: "'i' format requires -2147483648 <= number <= 2147483647",
};

function intValue(v: unknown): bigint | number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new error('required argument is not an integer');
}

// Buffer's own read/write methods: a DataView per call costs ~200 ns, more
// than the rest of pack('<i', n) together.
function writeValue(buf: Buffer, off: number, code: Code, v: unknown, little: boolean): void {
  const { ch, size } = code;
  if (ch === 'e' || ch === 'f' || ch === 'd') {
    if (typeof v !== 'number' && typeof v !== 'bigint') throw new error('required argument is not a float');
    const x = Number(v);
    if (ch === 'd') little ? buf.writeDoubleLE(x, off) : buf.writeDoubleBE(x, off);
    else if (ch === 'f') little ? buf.writeFloatLE(x, off) : buf.writeFloatBE(x, off);
    else little ? buf.writeUInt16LE(toHalf(x), off) : buf.writeUInt16BE(toHalf(x), off);
    return;
  }
  if (ch === '?') {
    buf[off] = v ? 1 : 0;
    return;
  }
  if (ch === 'c') {
    if (!(v instanceof Uint8Array) || v.length !== 1)
      throw new error('char format requires a bytes object of length 1');
    buf[off] = v[0] as number;
    return;
  }
  const iv = intValue(v);
  if (size === 8) {
    const n = BigInt(iv);
    const lo = code.signed ? -(1n << 63n) : 0n;
    const hi = code.signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
    if (n < lo || n > hi) throw new error('argument out of range');
    if (code.signed) little ? buf.writeBigInt64LE(n, off) : buf.writeBigInt64BE(n, off);
    else little ? buf.writeBigUInt64LE(n, off) : buf.writeBigUInt64BE(n, off);
    return;
  }
  // Sizes 1, 2 and 4 fit a double exactly: no BigInt on the framing hot path.
  const n = Number(iv);
  const bits = size * 8;
  const lo = code.signed ? -(2 ** (bits - 1)) : 0;
  const hi = code.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (typeof iv === 'bigint' ? iv < BigInt(lo) || iv > BigInt(hi) : n < lo || n > hi) {
    throw new error(RANGE_MSG[ch] ?? 'argument out of range');
  }
  if (size === 4) {
    if (code.signed) little ? buf.writeInt32LE(n, off) : buf.writeInt32BE(n, off);
    else little ? buf.writeUInt32LE(n, off) : buf.writeUInt32BE(n, off);
  } else if (size === 2) {
    if (code.signed) little ? buf.writeInt16LE(n, off) : buf.writeInt16BE(n, off);
    else little ? buf.writeUInt16LE(n, off) : buf.writeUInt16BE(n, off);
  } else if (code.signed) buf.writeInt8(n, off);
  else buf[off] = n;
}

function readValue(buf: Buffer, off: number, code: Code, little: boolean): unknown {
  switch (code.ch) {
    case 'd':
      return little ? buf.readDoubleLE(off) : buf.readDoubleBE(off);
    case 'f':
      return little ? buf.readFloatLE(off) : buf.readFloatBE(off);
    case 'e':
      return fromHalf(little ? buf.readUInt16LE(off) : buf.readUInt16BE(off));
    case '?':
      return buf[off] !== 0;
    case 'c':
      return Buffer.from([buf[off] as number]);
  }
  switch (code.size) {
    case 8: {
      const b = code.signed
        ? little
          ? buf.readBigInt64LE(off)
          : buf.readBigInt64BE(off)
        : little
          ? buf.readBigUInt64LE(off)
          : buf.readBigUInt64BE(off);
      return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    case 4:
      if (code.signed) return little ? buf.readInt32LE(off) : buf.readInt32BE(off);
      return little ? buf.readUInt32LE(off) : buf.readUInt32BE(off);
    case 2:
      if (code.signed) return little ? buf.readInt16LE(off) : buf.readInt16BE(off);
      return little ? buf.readUInt16LE(off) : buf.readUInt16BE(off);
    default:
      return code.signed ? buf.readInt8(off) : buf[off];
  }
}

/** A Buffer over the same bytes (no copy). */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** pack_into-style core shared by pack and pack_into. */
function packInto(plan: Plan, buf: Buffer, base: number, values: unknown[]): void {
  const want = plan.values;
  if (values.length !== want) throw new error(`pack expected ${want} items for packing (got ${values.length})`);
  let vi = 0;
  for (const it of plan.items) {
    const { code, count } = it;
    const off = base + it.offset;
    if (code.ch === 'x') continue;
    if (code.ch === 's' || code.ch === 'p') {
      const v = values[vi++];
      if (!(v instanceof Uint8Array)) throw new error(`argument for '${code.ch}' must be a bytes object`);
      if (code.ch === 's') {
        buf.set(v.subarray(0, count), off);
      } else if (count > 0) {
        const n = Math.min(v.length, count - 1, 255);
        buf[off] = n;
        buf.set(v.subarray(0, n), off + 1);
      }
      continue;
    }
    for (let k = 0; k < count; k++) writeValue(buf, off + k * code.size, code, values[vi++], plan.little);
  }
}

/** struct.pack(format, v1, v2, ...) */
export function pack(format: string, ...values: unknown[]): Buffer {
  const plan = compile(format);
  // Pooled like Buffer.from; only formats with pad bytes or strings need zeroing.
  const out = Buffer.allocUnsafe(plan.size);
  if (plan.needsZero) out.fill(0);
  packInto(plan, out, 0, values);
  return out;
}

/** struct.pack_into(format, buffer, offset, v1, v2, ...) */
export function pack_into(format: string, buffer: Uint8Array, offset: number, ...values: unknown[]): void {
  const plan = compile(format);
  if (offset < 0) offset += buffer.length;
  if (offset < 0 || buffer.length - offset < plan.size) {
    throw new error(
      `pack_into requires a buffer of at least ${plan.size + offset} bytes for packing ${plan.size} bytes at offset ${offset} (actual buffer size is ${buffer.length})`,
    );
  }
  packInto(plan, asBuffer(buffer), offset, values);
}

function unpackAt(plan: Plan, bytes: Uint8Array, base: number): unknown[] {
  const buf = asBuffer(bytes);
  const out: unknown[] = [];
  for (const it of plan.items) {
    const { code, count } = it;
    const off = base + it.offset;
    if (code.ch === 'x') continue;
    if (code.ch === 's') {
      out.push(Buffer.from(buf.subarray(off, off + count)));
      continue;
    }
    if (code.ch === 'p') {
      const n = count > 0 ? Math.min(buf[off] as number, count - 1) : 0;
      out.push(Buffer.from(buf.subarray(off + 1, off + 1 + n)));
      continue;
    }
    for (let k = 0; k < count; k++) out.push(readValue(buf, off + k * code.size, code, plan.little));
  }
  return out;
}

/** struct.unpack(format, buffer): the buffer must be exactly calcsize(format) bytes. */
export function unpack(format: string, buffer: Uint8Array): unknown[] {
  const plan = compile(format);
  if (buffer.length !== plan.size) throw new error(`unpack requires a buffer of ${plan.size} bytes`);
  return unpackAt(plan, buffer, 0);
}

/** struct.unpack_from(format, buffer, offset=0) */
export function unpack_from(format: string, buffer: Uint8Array, offset = 0): unknown[] {
  const plan = compile(format);
  if (offset < 0) offset += buffer.length;
  if (offset < 0 || buffer.length - offset < plan.size) {
    throw new error(
      `unpack_from requires a buffer of at least ${plan.size + offset} bytes for unpacking ${plan.size} bytes at offset ${offset} (actual buffer size is ${buffer.length})`,
    );
  }
  return unpackAt(plan, buffer, offset);
}

// IEEE 754 half precision, for the 'e' format.
function toHalf(x: number): number {
  const f32 = new Float32Array([x]);
  const u = new Uint32Array(f32.buffer)[0] as number;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (Number.isNaN(x)) return 0x7e00;
  if (exp >= 31) {
    if (Number.isFinite(x)) throw new error('float too large to pack with e format');
    return sign | 0x7c00;
  }
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >> (1 - exp);
    return sign | ((m + 0x1000) >> 13);
  }
  return sign | (exp << 10) | ((mant + 0x1000) >> 13);
}

function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (mant / 1024);
  if (exp === 31) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + mant / 1024);
}
