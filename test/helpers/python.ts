// The differential helper: run a scenario in CPython and get back what it
// printed, so a test can hold pipefork's result next to CPython's.
import { spawnSync } from 'node:child_process';

/** Runs python3 -c code; returns its stdout. Fails loudly if Python failed. */
export function python(code: string, input?: string | Buffer): string {
  const r = spawnSync('python3', ['-c', code], { input, encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0)
    throw new Error(`python3 failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  return r.stdout;
}

/** Runs python3 code that prints one JSON document; returns it parsed. */
export function pythonJson<T = unknown>(code: string): T {
  return JSON.parse(python(code)) as T;
}

/**
 * Python code that defines `outcome(f)`: calls f and returns
 * `["ok", repr-able result]` or `["raise", type name, str(e), errno]`.
 */
export const PY_OUTCOME = `
import json, os, sys
def outcome(f):
    try:
        r = f()
        if isinstance(r, (bytes, bytearray)): r = list(r)
        return ["ok", r]
    except BaseException as e:
        return ["raise", type(e).__name__, str(e), getattr(e, "errno", None)]
`;

/** The same outcome shape for a JS call, for comparing with PY_OUTCOME's. */
export function outcome(f: () => unknown): unknown[] {
  try {
    let r = f();
    if (r instanceof Uint8Array) r = [...r];
    if (r === undefined) r = null;
    return ['ok', r];
  } catch (e) {
    const err = e as Error & { errno?: number | null };
    return ['raise', err.name === 'TypeError' ? 'TypeError' : err.constructor.name, err.message, err.errno ?? null];
  }
}

/** A Python expression for a JSON-able JS value (true/null become True/None). */
export function py(v: unknown): string {
  return `__import__('json').loads(${JSON.stringify(JSON.stringify(v))})`;
}

/**
 * A CPython outcome as pipefork reports it: JS has no AttributeError, so
 * where CPython raises one for a value of the wrong type (a str given as env
 * has no keys()), pipefork raises TypeError with the same message.
 */
export function asPipefork(o: unknown): unknown {
  return Array.isArray(o) && o[1] === 'AttributeError' ? [o[0], 'TypeError', ...o.slice(2)] : o;
}

/** Any function, callable with any arguments (for the arity and bad-input cases). */
export const loose = (fn: unknown) => fn as (...a: unknown[]) => unknown;
