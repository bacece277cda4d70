// `npm run bench` (the os part): C, CPython, Node's fs and pipefork side by
// side, round-robin, medians of ROUNDS rounds, reported as ratios to C.
// Every contender runs under `taskset -c 0`: across the two CPUs of these
// VMs the host's wake-up latency dominates two-process figures.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const root = join(here, '..', '..');
const src = join(root, 'bench', 'os');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

type Contender = { name: string; cmd: string[] };
type Figure = { title: string; target: string; contenders: Contender[] };

function buildC(): string {
  const out = join(root, 'build', 'bench');
  mkdirSync(out, { recursive: true });
  const bin = join(out, 'os_c');
  execFileSync('cc', ['-O2', '-o', bin, join(src, 'os_c.c')]);
  return bin;
}

function pinned(cmd: string[]): string[] {
  return existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0', ...cmd] : cmd;
}

/** The last line a pinned run of cmd printed. */
function runText(cmd: string[]): string {
  const [file, ...args] = pinned(cmd);
  const r = spawnSync(file as string, args, { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop() as string;
}

const runOnce = (cmd: string[]): number => Number(runText(cmd));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export function measure(fig: Figure): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(fig.contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of fig.contenders) times[c.name]?.push(runOnce(c.cmd));
  }
  const med: Record<string, number> = {};
  for (const c of fig.contenders) med[c.name] = median(times[c.name] as number[]);
  const base = med.C as number;
  console.log(`\n${fig.title}  (target: ${fig.target})`);
  for (const c of fig.contenders) {
    const t = med[c.name] as number;
    console.log(`  ${c.name.padEnd(22)} ${(t * 1000).toFixed(1).padStart(9)} ms   ${(t / base).toFixed(2)}x C time`);
  }
  return med;
}

export async function main(): Promise<void> {
  const c = buildC();
  const py = join(src, 'os_py.py');
  const node = (args: string[]) => [process.execPath, join(here, 'os-workload.js'), ...args];
  console.log(`os benchmarks: median of ${ROUNDS} round-robin rounds, each process pinned with taskset -c 0`);
  const N = 200_000;
  const pairMed = measure({
    title: `1-byte os.write + os.read pair on one pipe, ${N} times`,
    target: 'pipefork <= 1.45x C, faster than CPython and fs.*Sync',
    contenders: [
      { name: 'C', cmd: [c, 'pair', String(N)] },
      { name: 'CPython os', cmd: ['python3', py, 'pair', String(N)] },
      { name: 'Node fs.*Sync', cmd: node(['pair-fs', String(N)]) },
      { name: 'pipefork os', cmd: node(['pair', String(N)]) },
      { name: 'addon, direct calls', cmd: node(['pair-raw', String(N)]) },
    ],
  });
  // The figure above counts each process's JIT warm-up; in steady state, in
  // one process, alternating the two loops:
  const half = N / 2;
  const [rawS, pfS] = runText(node(['pair-steady', String(half)]))
    .split(' ')
    .map(Number) as [number, number];
  const cPair = (pairMed.C as number) / N;
  console.log(
    `  steady state in one process: addon direct ${(rawS / half / cPair).toFixed(2)}x C, ` +
      `pipefork os ${(pfS / half / cPair).toFixed(2)}x C (per pair, against C's figure above)`,
  );
  const GiB = 2 ** 30;
  for (const chunk of [4096, 65536, 1 << 20]) {
    measure({
      title: `1 GiB through a pipe between two processes, ${chunk >= 1 << 20 ? '1 MiB' : `${chunk / 1024} KiB`} chunks`,
      target: chunk === 4096 ? 'pipefork time <= C / 0.85' : 'pipefork time <= C / 0.93',
      contenders: [
        { name: 'C', cmd: [c, 'stream', String(GiB), String(chunk)] },
        { name: 'CPython os', cmd: ['python3', py, 'stream', String(GiB), String(chunk)] },
        { name: 'pipefork os.read', cmd: node(['stream', String(GiB), String(chunk)]) },
        { name: 'pipefork os.readinto', cmd: node(['stream-into', String(GiB), String(chunk)]) },
        { name: 'addon, direct calls', cmd: node(['stream-raw', String(GiB), String(chunk)]) },
      ],
    });
  }
  const M = 50_000;
  measure({
    title: `16-byte '<i'-prefixed round trip between two processes, ${M} times`,
    target: 'pipefork <= 1.3x C, below CPython',
    contenders: [
      { name: 'C', cmd: [c, 'pingpong', String(M)] },
      { name: 'CPython os', cmd: ['python3', py, 'pingpong', String(M)] },
      { name: 'pipefork os', cmd: node(['pingpong', String(M)]) },
      { name: 'addon, direct calls', cmd: node(['pingpong-raw', String(M)]) },
    ],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
