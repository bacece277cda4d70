// `npm run bench -- pyclass`: what the exported classes' callable twins
// (lib/pyclass.ts) cost. Each loop constructs one object per iteration,
// through the class itself (`new C(...)`, what lib/ does inside), through
// the exported twin with `new`, and through the twin called as Python calls
// it, and through the class again by a second call site: the control, whose
// ratio to the first shows how far two identical loops differ (on a 60-90
// ns object, by ~10 ns: allocation and GC timing). The four alternate,
// round by round, timed in CPU time; printed are the medians and the median
// per-round ratio to the class itself.
//
//   npm run compile && taskset -c 0 node dist/bench/pyclass.js
import { Buffer } from 'node:buffer';
import { io, struct } from '../lib/index.js';
import { classOf } from '../lib/pyclass.js';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const N = Number(process.env.N ?? 200_000);

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const data = Buffer.from('header\nbody\n');

/**
 * Each case: the exported twin, the arguments (an expression over `data`
 * and `io`), and the share of N to make (the writable ones are held by
 * WeakRefs until the turn ends: lib/io/common.ts registerForExit).
 */
const CASES: [string, unknown, string, number?][] = [
  ["struct.Struct('<i')", struct.Struct, "'<i'"],
  ['io.BytesIO(data)', io.BytesIO, 'data'],
  ["io.StringIO('text')", io.StringIO, "'text'"],
  ['io.BufferedReader(BytesIO)', io.BufferedReader, 'new io.BytesIO(data)', 0.1],
  ['io.TextIOWrapper(BytesIO)', io.TextIOWrapper, 'new io.BytesIO(data)', 0.05],
];

/**
 * A maker of its own: every call site in it sees one constructor only, as
 * in a program (a closure shared by the three would make its `new`
 * polymorphic and measure that instead).
 */
function maker(C: unknown, expr: string): () => unknown {
  return new Function('C', 'data', 'io', `return () => ${expr};`)(C, data, io);
}

/** A loop of n constructions; returns its CPU ms. */
function loop(make: () => unknown, n: number): number {
  let keep: unknown;
  const t = cpu();
  for (let i = 0; i < n; i++) keep = make();
  const dt = cpu() - t;
  if (keep === undefined) throw new Error('nothing made');
  return dt;
}

export async function main(): Promise<void> {
  console.log(`Node ${process.version}, ${ROUNDS} rounds of up to ${N} constructions, CPU time`);
  for (const [name, twin, args, share = 1] of CASES) {
    const n = Math.round(N * share);
    const makers: Record<string, () => unknown> = {
      class: maker(classOf(twin), `new C(${args})`),
      'new twin': maker(twin, `new C(${args})`),
      'twin()': maker(twin, `C(${args})`),
      'class again': maker(classOf(twin), `new C(${args})`),
    };
    const times: Record<string, number[]> = { class: [], 'new twin': [], 'twin()': [], 'class again': [] };
    const ratios: Record<string, number[]> = { 'new twin': [], 'twin()': [], 'class again': [] };
    for (const m of Object.values(makers)) loop(m, n / 10); // warm up each
    for (let r = 0; r < ROUNDS; r++) {
      const round: Record<string, number> = {};
      for (const [k, m] of Object.entries(makers)) {
        round[k] = loop(m, n);
        times[k]?.push(round[k] as number);
        await new Promise(setImmediate); // lets WeakRef targets go
      }
      for (const k of Object.keys(ratios)) ratios[k]?.push((round[k] as number) / (round.class as number));
    }
    const ns = (k: string) => ((median(times[k] as number[]) * 1e6) / n).toFixed(0).padStart(5);
    const vs = (k: string) => `${k} ${ns(k)} ns (${median(ratios[k] as number[]).toFixed(2)}x)`;
    console.log(
      `  ${name.padEnd(28)} class ${ns('class')} ns   ${vs('new twin')}   ${vs('twin()')}   ${vs('class again')}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
