// `npm run bench -- async`: the awaitable twins against the blocking calls
// and Node's own ways, side by side in one run (issue 15's targets):
//   - 1 GiB through a pipe in 64 KiB reads: os.readAsync >= 0.8x os.read's
//     throughput, and >= net.Socket({ fd }) on the same pipe;
//   - a 16-byte '<i'-prefixed round trip between two processes, awaited:
//     <= 1.5x the blocking round trip, faster than net.Socket and than
//     child_process stdio;
//   - runAsync(['/bin/true']): <= 1.2x the blocking run, faster than
//     child_process.spawn + 'exit' and than execa.
// Every contender is its own process (this file in another mode), pinned
// with `taskset -c 0` as bench/os.ts pins its own (the peer too); rounds go
// round-robin and the figure is the median. The peers are bench/os-workload.ts's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, os, subprocess } from 'pipefork';
import { toReadable } from 'pipefork/streams';

const self = fileURLToPath(import.meta.url);
const here = dirname(self);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const [mode = '', a1 = '0', a2 = '0'] = process.argv.slice(2);

// --- the driver ------------------------------------------------------------------

type Contender = { name: string; mode: string; args: string[] };

function pinned(cmd: string[]): string[] {
  return existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0', ...cmd] : cmd;
}

/** One run of a contender: the number it printed last. */
function runOnce(c: Contender): number {
  const [file, ...args] = pinned([process.execPath, self, c.mode, ...c.args]);
  const r = spawnSync(file as string, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${c.mode} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return Number(r.stdout.trim().split('\n').pop());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/** Medians over ROUNDS round-robin rounds, printed as ratios to the first contender (`unit` per op). */
function figure(title: string, target: string, unit: string, contenders: Contender[]): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) for (const c of contenders) times[c.name]?.push(runOnce(c));
  const med = Object.fromEntries(contenders.map((c) => [c.name, median(times[c.name] as number[])]));
  const base = med[(contenders[0] as Contender).name] as number;
  console.log(`\n${title}  (target: ${target})`);
  for (const c of contenders) {
    const t = med[c.name] as number;
    console.log(`  ${c.name.padEnd(34)} ${t.toFixed(2).padStart(10)} ${unit}   ${(t / base).toFixed(2)}x`);
  }
  return med;
}

export async function main(): Promise<void> {
  console.log(
    `async benchmarks (${process.version}): median of ${ROUNDS} round-robin rounds, every process pinned with taskset -c 0`,
  );
  const GiB = String(2 ** 30);
  const bulk = figure(
    '1 GiB through a pipe, 64 KiB reads (time)',
    'os.readAsync >= 0.8x os.read throughput (time <= 1.25x), time <= net.Socket({ fd })',
    'ms',
    [
      { name: 'os.read (blocking)', mode: 'bulk-read', args: [GiB, '65536'] },
      { name: 'os.readAsync', mode: 'bulk-async', args: [GiB, '65536'] },
      { name: 'FileIO.readAsync (raw file object)', mode: 'bulk-file', args: [GiB, '65536'] },
      { name: "streams.toReadable 'data'", mode: 'bulk-stream', args: [GiB, '65536'] },
      { name: "net.Socket({ fd }) 'data'", mode: 'bulk-socket', args: [GiB, '65536'] },
    ],
  );
  const tput = (name: string) => (bulk['os.read (blocking)'] as number) / (bulk[name] as number);
  console.log(`  throughput of os.readAsync: ${tput('os.readAsync').toFixed(2)}x os.read's`);
  const N = '20000';
  figure(
    "16-byte '<i'-prefixed round trip between two processes (µs per round trip)",
    'awaited <= 1.5x blocking, faster than net.Socket and child_process stdio',
    'µs',
    [
      { name: 'os.write + os.read (blocking)', mode: 'rt-blocking', args: [N] },
      { name: 'os.writeAsync + os.readAsync', mode: 'rt-async', args: [N] },
      { name: 'net.Socket({ fd }) on the pipes', mode: 'rt-socket', args: [N] },
      { name: 'child_process stdio', mode: 'rt-stdio', args: [N] },
    ],
  );
  const M = '300';
  figure('starting and reaping /bin/true (µs per run)', 'runAsync <= 1.2x run, faster than spawn and execa', 'µs', [
    { name: 'subprocess.run (blocking)', mode: 'run-blocking', args: [M] },
    { name: 'subprocess.runAsync', mode: 'run-async', args: [M] },
    { name: "child_process.spawn + 'exit'", mode: 'run-spawn', args: [M] },
    { name: 'execa', mode: 'run-execa', args: [M] },
  ]);
}

// --- the contenders ------------------------------------------------------------------

const workload = join(here, 'os-workload.js');

/** A peer of bench/os-workload.ts in `peerMode`, its fds 3.. being fds; resolves when it exits 0. */
function peer(peerMode: string, args: string[], fds: number[]): Promise<void> {
  const child = spawn(process.execPath, [workload, peerMode, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', ...fds],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`peer exited ${code}`))));
  });
}

/** The bulk figure: a writer peer sends total bytes in chunks; the reader loop returns how many it got. */
async function bulk(read: (r: number, chunk: number, total: number) => Promise<number>): Promise<void> {
  const total = Number(a1);
  const chunk = Number(a2);
  const [r, w] = os.pipe();
  const done = peer('stream-writer', [a1, a2], [w]);
  os.close(w);
  os.read(r, 1); // the writer is running
  const t0 = performance.now();
  const got = await read(r, chunk, total);
  const ms = performance.now() - t0;
  await done;
  if (got !== total) throw new Error(`got ${got} of ${total}`);
  console.log(ms.toFixed(3));
}

/**
 * The round-trip figure: a blocking echo peer (os-workload's
 * pingpong-server) on two pipes; loop(n, aw, br) runs the round trips.
 * Prints µs per round trip.
 */
async function roundTrips(
  loop: (n: number, aw: number, br: number) => Promise<void>,
  cleanup: () => void = () => {},
): Promise<void> {
  const n = Number(a1);
  const [ar, aw] = os.pipe();
  const [br, bw] = os.pipe();
  const done = peer('pingpong-server', [], [ar, bw]);
  os.close(ar);
  os.close(bw);
  os.read(br, 1); // the server is running
  await loop(200, aw, br); // warm-up
  const t0 = performance.now();
  await loop(n, aw, br);
  const us = ((performance.now() - t0) * 1000) / n;
  cleanup();
  os.close(aw);
  await done;
  os.close(br);
  console.log(us.toFixed(3));
}

const FRAME = Buffer.concat([Buffer.from([16, 0, 0, 0]), Buffer.alloc(16, 'x')]);

/** Reads exactly n bytes with readAsync. */
async function readExactAsync(fd: number, n: number): Promise<Buffer> {
  let b = await os.readAsync(fd, n);
  while (b.length < n) {
    const more = await os.readAsync(fd, n - b.length);
    if (more.length === 0) throw new Error('EOF');
    b = Buffer.concat([b, more]);
  }
  return b;
}

function readExact(fd: number, n: number): Buffer {
  let b = os.read(fd, n);
  while (b.length < n) {
    const more = os.read(fd, n - b.length);
    if (more.length === 0) throw new Error('EOF');
    b = Buffer.concat([b, more]);
  }
  return b;
}

/** Round trips over a readable and a writable stream-like pair: write a frame, wait for 20 bytes back. */
function streamLoop(write: (b: Buffer) => void, readable: NodeJS.ReadableStream): (n: number) => Promise<void> {
  let have = 0;
  let wake: (() => void) | null = null;
  readable.on('data', (c: Buffer) => {
    have += c.length;
    if (have >= 20 && wake) {
      const w = wake;
      wake = null;
      w();
    }
  });
  return async (n) => {
    for (let i = 0; i < n; i++) {
      write(FRAME);
      if (have < 20) await new Promise<void>((res) => (wake = res));
      have -= 20;
    }
  };
}

const ECHO = `process.stdin.on('data', (c) => process.stdout.write(c));`;

/** Starts and reaps /bin/true n times with f; prints µs per run (after a warm-up of 20). */
async function runs(f: () => Promise<unknown> | unknown): Promise<void> {
  const n = Number(a1);
  for (let i = 0; i < 20; i++) await f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  console.log((((performance.now() - t0) * 1000) / n).toFixed(3));
}

async function contender(): Promise<void> {
  switch (mode) {
    case 'bulk-read':
      return bulk(async (r, chunk) => {
        let got = 0;
        for (;;) {
          const b = os.read(r, chunk);
          if (b.length === 0) return got;
          got += b.length;
        }
      });
    case 'bulk-async':
      return bulk(async (r, chunk) => {
        let got = 0;
        for (;;) {
          const b = await os.readAsync(r, chunk);
          if (b.length === 0) return got;
          got += b.length;
        }
      });
    case 'bulk-file':
      return bulk(async (r, chunk) => {
        const f = new io.FileIO(r, 'r', { closefd: false });
        let got = 0;
        for (;;) {
          const b = await f.readAsync(chunk);
          if (b.length === 0) return got;
          got += b.length;
        }
      });
    case 'bulk-stream':
      return bulk(async (r, chunk) => {
        let got = 0;
        for await (const c of toReadable(os.dup(r), { highWaterMark: chunk })) got += (c as Buffer).length;
        return got;
      });
    case 'bulk-socket':
      return bulk(
        (r) =>
          new Promise<number>((resolve, reject) => {
            // net.Socket makes the pipe's description non-blocking (for the
            // writer peer's end too, were it shared): the reason pipefork does not.
            const s = new net.Socket({ fd: os.dup(r), readable: true, writable: false });
            let got = 0;
            s.on('data', (c: Buffer) => {
              got += c.length;
            });
            s.on('end', () => resolve(got));
            s.on('error', reject);
          }),
      );
    case 'rt-blocking':
      return roundTrips(async (n, aw, br) => {
        for (let i = 0; i < n; i++) {
          os.write(aw, FRAME);
          readExact(br, 20);
        }
      });
    case 'rt-async':
      return roundTrips(async (n, aw, br) => {
        for (let i = 0; i < n; i++) {
          await os.writeAsync(aw, FRAME);
          await readExactAsync(br, 20);
        }
      });
    case 'rt-socket': {
      let loop: ((n: number) => Promise<void>) | null = null;
      let sockets: net.Socket[] = [];
      return roundTrips(
        async (n, aw, br) => {
          if (loop === null) {
            const out = new net.Socket({ fd: os.dup(aw), readable: false, writable: true });
            const inp = new net.Socket({ fd: os.dup(br), readable: true, writable: false });
            sockets = [out, inp];
            loop = streamLoop((b) => out.write(b), inp);
          }
          await loop(n);
        },
        () => {
          for (const s of sockets) s.destroy();
        },
      );
    }
    case 'rt-stdio': {
      const n = Number(a1);
      const child = spawn(process.execPath, ['-e', ECHO], { stdio: ['pipe', 'pipe', 'inherit'] });
      const stdin = child.stdin;
      const loop = streamLoop((b) => stdin.write(b), child.stdout);
      await loop(200);
      const t0 = performance.now();
      await loop(n);
      const us = ((performance.now() - t0) * 1000) / n;
      stdin.end();
      await new Promise((res) => child.once('exit', res));
      console.log(us.toFixed(3));
      return;
    }
    case 'run-blocking':
      return runs(() => subprocess.run(['/bin/true']));
    case 'run-async':
      return runs(() => subprocess.runAsync(['/bin/true']));
    case 'run-spawn':
      return runs(
        () =>
          new Promise<void>((res, rej) => {
            const c = spawn('/bin/true', [], { stdio: 'ignore' });
            c.once('exit', () => res());
            c.once('error', rej);
          }),
      );
    case 'run-execa': {
      const { execa } = await import('execa');
      return runs(() => execa('/bin/true'));
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

if (process.argv[1] === self) {
  if (mode === '') await main();
  else await contender();
}
