// select/selectors/signal benchmark (issue 14), CPython (bench/select/
// select_py.py) and pipefork side by side: each contender a separate process
// pinned to CPU 0 (with the children it starts), rounds round-robin, the
// median of each.
//   select2  select.select on 2 ready pipes, timeout 0: CPU time per call
//   poll64   poll.poll(0) on 64 ready fds (32 pipes, both ends): CPU time per call
//   relay    a selectors loop relaying N MiB from each of two children's pipes
//            (head -c ... /dev/zero) to /dev/null: wall-clock throughput
//   latency  from another process's kill (bench/select/sender.py stamps
//            time.monotonic_ns() just before it) to the SIGUSR1 handler
//            running, while the receiver is blocked in os.read: the median
//   node dist/bench/select.js             run everything and print the table
//   node dist/bench/select.js <what> <n>  one measurement (what main() spawns)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { os, select, selectors, signal, struct, subprocess, time } from 'pipefork';

const here = dirname(fileURLToPath(import.meta.url));

function packageRoot(): string {
  let dir = here;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

const DIR = join(packageRoot(), 'bench', 'select');
const PY = join(DIR, 'select_py.py');
const N: Record<string, number> = { select2: 200_000, poll64: 100_000, relay: 512, latency: 300 };

// ---- pipefork's side (run in its own process) ----

function pipes(k: number): [number, number][] {
  return Array.from({ length: k }, () => {
    const [r, w] = os.pipe();
    os.write(w, Buffer.from('x'));
    return [r, w] as [number, number];
  });
}

/** CPU time of loop(n), after loop(n / 10) untimed (V8's JIT warms up as CPython's caches). */
function cpuTimed(loop: (k: number) => void, n: number): number {
  loop(Math.floor(n / 10));
  const t = process.cpuUsage();
  loop(n);
  const used = process.cpuUsage(t);
  return (used.user + used.system) / 1e6;
}

function relay(mib: number): string {
  const t = time.monotonic();
  const cmd = ['head', '-c', String(mib * 2 ** 20), '/dev/zero'];
  const procs = [0, 1].map(() => subprocess.Popen(cmd, { stdout: subprocess.PIPE }));
  const out = os.open('/dev/null', os.O_WRONLY);
  const sel = selectors.DefaultSelector();
  for (const p of procs) sel.register(p.stdout!, selectors.EVENT_READ);
  let total = 0;
  while (sel.get_map()!.size > 0) {
    for (const [key] of sel.select()) {
      const chunk = os.read(key.fd, 1 << 16);
      if (chunk.length === 0) {
        sel.unregister(key.fileobj);
        continue;
      }
      os.write(out, chunk);
      total += chunk.length;
    }
  }
  for (const p of procs) {
    p.wait();
    p.stdout!.close();
  }
  sel.close();
  os.close(out);
  return `TIME ${(time.monotonic() - t).toFixed(6)} BYTES ${total}`;
}

function latency(n: number): string {
  const [stampR, stampW] = os.pipe();
  const [ackR, ackW] = os.pipe();
  const [wakeR, wakeW] = os.pipe();
  const lat: bigint[] = [];
  signal.signal(signal.SIGUSR1, () => {
    const now = time.monotonic_ns();
    lat.push(now - BigInt(struct.unpack('<q', os.read(stampR, 8))[0] as number | bigint));
    os.write(ackW, Buffer.from('k'));
  });
  const fds = [stampW, ackR, wakeW];
  const s = subprocess.Popen(['python3', join(DIR, 'sender.py'), String(process.pid), String(n), ...fds.map(String)], {
    pass_fds: fds,
  });
  os.read(wakeR, 1);
  s.wait();
  lat.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `TIME ${(Number(lat[Math.floor(lat.length / 2)]) / 1e9).toFixed(9)}`;
}

function measure(what: string, n: number): void {
  if (what === 'select2') {
    const rs = pipes(2).map(([r]) => r);
    console.log(
      `TIME ${cpuTimed((k) => {
        for (let i = 0; i < k; i++) select.select(rs, [], [], 0);
      }, n).toFixed(6)}`,
    );
  } else if (what === 'poll64') {
    const p = select.poll();
    for (const [r, w] of pipes(32)) {
      p.register(r, select.POLLIN);
      p.register(w, select.POLLOUT);
    }
    console.log(
      `TIME ${cpuTimed((k) => {
        for (let i = 0; i < k; i++) p.poll(0);
      }, n).toFixed(6)}`,
    );
  } else if (what === 'relay') console.log(relay(n));
  else if (what === 'latency') console.log(latency(n));
  else throw new Error(`unknown measurement ${what}`);
}

// ---- the driver ----

function run(cmd: string, args: string[]): number {
  const r = spawnSync('taskset', ['-c', '0', cmd, ...args], { encoding: 'utf8' });
  const m = /TIME ([\d.]+)/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return Number(m[1]);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const show: Record<string, (s: number, n: number) => string> = {
  select2: (s, n) => `${((s / n) * 1e6).toFixed(2).padStart(8)} µs/call`,
  poll64: (s, n) => `${((s / n) * 1e6).toFixed(2).padStart(8)} µs/call`,
  relay: (s, n) => `${((2 * n) / 1024 / s).toFixed(2).padStart(8)} GiB/s `,
  latency: (s) => `${(s * 1e6).toFixed(1).padStart(8)} µs     `,
};

export async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const only = process.env.BENCH_ONLY?.split(',');
  const py = spawnSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], {
    encoding: 'utf8',
  }).stdout.trim();
  console.log(`Node ${process.version}, Python ${py}, ${rounds} rounds, pinned to CPU 0`);
  console.log('figure      CPython              pipefork             pipefork/CPython');
  for (const what of Object.keys(N)) {
    if (only && !only.includes(what)) continue;
    const n = N[what] as number;
    const times: { py: number[]; js: number[] } = { py: [], js: [] };
    for (let r = 0; r < rounds; r++) {
      times.py.push(run('python3', [PY, what, String(n)]));
      times.js.push(run(process.execPath, [fileURLToPath(import.meta.url), what, String(n)]));
    }
    const [p, j] = [median(times.py), median(times.js)];
    // Throughput: higher is better, so the ratio is CPython's time over ours.
    const ratio = what === 'relay' ? `${(p / j).toFixed(2)}x throughput` : `${(j / p).toFixed(2)}x time`;
    console.log(`${what.padEnd(11)} ${show[what]?.(p, n)}      ${show[what]?.(j, n)}      ${ratio}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [what, n] = process.argv.slice(2);
  if (what) measure(what, Number(n));
  else await main();
}
