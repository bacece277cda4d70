// pipefork's side of the pickle tests: CPython's answers (test/pickle/helper.py)
// and canon(), the shape a loaded value is compared in on both sides.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isFrozenset, isTuple } from '../../lib/pickle.js';

const HELPER = fileURLToPath(new URL('./helper.py', import.meta.url));

/** Runs one helper.py command over a batch; returns its JSON answer. */
export function cpython<T = unknown>(
  cmd: 'dumps' | 'redump' | 'loads' | 'plain' | 'oob' | 'canon',
  args: unknown[],
): T {
  const r = spawnSync('python3', [HELPER, cmd], {
    input: JSON.stringify(args),
    encoding: 'utf8',
    timeout: 900_000,
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`helper.py ${cmd} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** CPython's pickle.dumps(eval(expr), proto) for each pair ('fork': ForkingPickler.dumps). */
export function pyDumps(pairs: [string, number | 'fork'][]): Buffer[] {
  return cpython<string[]>('dumps', pairs).map((h) => Buffer.from(h, 'hex'));
}

const SAFE = Number.MAX_SAFE_INTEGER;

/** JSON with DEL and every non-ASCII code unit escaped, as Python's json.dumps(ensure_ascii=True) writes it. */
export function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${(c.charCodeAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}

const byJson = (a: unknown, b: unknown) => {
  const x = asciiJson(a);
  const y = asciiJson(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * The comparable shape of a value: numbers as JSON when exact ints (a float
 * with an int's value too: JS cannot tell them apart), {i} big ints in hex, {f}
 * other floats by repr, {y} bytes in hex, {t} tuples, {l} lists, {d} dicts
 * with sorted keys, {set}/{fs} sorted items, {ref: n} for a list, dict or
 * set seen before (n counts them in visiting order).
 */
export function canon(v: unknown, ids: Map<unknown, number> = new Map()): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') {
    if (v >= -SAFE && v <= SAFE) return Number(v);
    return { i: v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}` };
  }
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) return v;
    return { f: floatRepr(v) };
  }
  if (ArrayBuffer.isView(v)) return { y: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  if (isTuple(v)) return { t: v.map((x) => canon(x, ids)) };
  if (isFrozenset(v)) return { fs: [...v].map((x) => canon(x, ids)).sort(byJson) };
  const seen = ids.get(v);
  if (seen !== undefined) return { ref: seen };
  ids.set(v, ids.size);
  if (Array.isArray(v)) return { l: v.map((x) => canon(x, ids)) };
  if (v instanceof Set) return { set: [...v].map((x) => canon(x, ids)).sort(byJson) };
  const entries = v instanceof Map ? [...v] : Object.entries(v as object);
  const keyed = entries.map(([k, x]) => [canon(k, ids), x] as [unknown, unknown]).sort((a, b) => byJson(a[0], b[0]));
  return { d: keyed.map(([ck, x]) => [ck, canon(x, ids)]) };
}

/** Python's repr(float). */
function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', expText = ''] = x.toExponential().split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, '0')}.${digits.slice(exp + 1) || '0'}`;
}

/** pipefork's outcome of f in helper.py's shape: ["ok", canon] or ["raise", class, message]. */
export function outcomeOf(f: () => unknown): unknown[] {
  try {
    return ['ok', canon(f())];
  } catch (e) {
    return ['raise', (e as Error).name, (e as Error).message];
  }
}
