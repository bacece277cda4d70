// Node contenders for bench/os.ts, the same loops as bench/os/os_c.c and
// os_py.py. Each prints the seconds of its measured loop. The peer process
// of a two-process figure is another node running this file, handed its
// pipe ends as fds 3 and 4; timing starts once it has said it is ready, so
// node's start-up is not counted.
//
// The '-raw' modes are the same loops calling pipefork's addon directly on
// preallocated buffers: no argument checks, no result objects, no errors.
// They show what pipefork's JavaScript adds, and how far the addon's own
// calling convention is from C. 'pair-steady' times both pair loops again
// in one process, alternating, after JIT warm-up.
import { spawn } from 'node:child_process';
import { readSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { os, struct } from 'pipefork';
import { native } from '../lib/native.js';

const self = fileURLToPath(import.meta.url);
const [mode = '', a1 = '0', a2 = '0'] = process.argv.slice(2);

function readFull(fd: number, n: number): Buffer {
  let data = os.read(fd, n);
  while (data.length < n) {
    const more = os.read(fd, n - data.length);
    if (more.length === 0) throw new Error('EOF');
    data = Buffer.concat([data, more]);
  }
  return data;
}

/** The addon returns -errno instead of throwing: the raw loops must not count one as bytes. */
function rawCount(k: number): number {
  if (k < 0) throw new Error(`errno ${-k}`);
  return k;
}

function rawReadFull(fd: number, buf: Buffer): void {
  let got = rawCount(native.read(fd, buf));
  while (got < buf.length) {
    const k = rawCount(native.read(fd, buf.subarray(got)));
    if (k === 0) throw new Error('EOF');
    got += k;
  }
}

function peer(args: string[], fds: number[]) {
  const child = spawn(process.execPath, [self, ...args], { stdio: ['ignore', 'inherit', 'inherit', ...fds] });
  return new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`peer exited ${code}`))));
  });
}

/**
 * A round-trip figure: two pipes to a server process, the loop (which
 * returns its milliseconds) once the server is ready, the time printed.
 */
async function pingpong(n: number, server: string, loop: (n: number, aw: number, br: number) => number): Promise<void> {
  const [ar, aw] = os.pipe();
  const [br, bw] = os.pipe();
  const done = peer([server], [ar, bw]);
  os.close(ar);
  os.close(bw);
  os.read(br, 1); // the server is running
  const ms = loop(n, aw, br);
  os.close(aw);
  await done;
  os.close(br);
  console.log((ms / 1000).toFixed(6));
}

async function main(): Promise<void> {
  switch (mode) {
    case 'pair': {
      const n = Number(a1);
      const [r, w] = os.pipe();
      const one = Buffer.from('x');
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        os.write(w, one);
        os.read(r, 1);
      }
      console.log(((performance.now() - t0) / 1000).toFixed(6));
      break;
    }
    case 'pair-steady': {
      // Median seconds per n pairs over 15 alternating rounds, after a warm-up
      // round of each: the addon called directly, then os.write + os.read.
      const n = Number(a1);
      const [r, w] = os.pipe();
      const one = Buffer.from('x');
      const back = Buffer.alloc(1);
      const raw = () => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          rawCount(native.write(w, one));
          rawCount(native.read(r, back));
        }
        return performance.now() - t0;
      };
      const pf = () => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          os.write(w, one);
          os.read(r, 1);
        }
        return performance.now() - t0;
      };
      raw();
      pf();
      const times: [number[], number[]] = [[], []];
      for (let round = 0; round < 15; round++) {
        // Alternate which goes first, so drift within a round favours neither.
        if (round % 2 === 0) {
          times[0].push(raw());
          times[1].push(pf());
        } else {
          times[1].push(pf());
          times[0].push(raw());
        }
      }
      const med = (xs: number[]) => (xs.sort((x, y) => x - y)[xs.length >> 1] as number) / 1000;
      console.log(`${med(times[0]).toFixed(6)} ${med(times[1]).toFixed(6)}`);
      break;
    }
    case 'pair-fs': {
      // Node's own way: fs.writeSync / fs.readSync on the same pipe.
      const n = Number(a1);
      const [r, w] = os.pipe();
      const one = Buffer.from('x');
      const back = Buffer.alloc(1);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        writeSync(w, one, 0, 1, null);
        readSync(r, back, 0, 1, null);
      }
      console.log(((performance.now() - t0) / 1000).toFixed(6));
      break;
    }
    case 'pair-raw': {
      const n = Number(a1);
      const [r, w] = os.pipe();
      const one = Buffer.from('x');
      const back = Buffer.alloc(1);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        rawCount(native.write(w, one));
        rawCount(native.read(r, back));
      }
      console.log(((performance.now() - t0) / 1000).toFixed(6));
      break;
    }
    case 'pingpong-raw': {
      const head = Buffer.alloc(4);
      head.writeInt32LE(16, 0);
      const msg = Buffer.alloc(16, 'x');
      const h = Buffer.alloc(4);
      const body = Buffer.alloc(16);
      await pingpong(Number(a1), 'pingpong-server-raw', (n, aw, br) => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          rawCount(native.write(aw, head));
          rawCount(native.write(aw, msg));
          rawReadFull(br, h);
          rawReadFull(br, body);
        }
        return performance.now() - t0;
      });
      break;
    }
    case 'pingpong-server-raw': {
      native.write(4, Buffer.from('R'));
      const h = Buffer.alloc(4);
      const body = Buffer.alloc(16);
      for (;;) {
        if (native.read(3, h) !== 4) break;
        rawReadFull(3, body);
        rawCount(native.write(4, h));
        rawCount(native.write(4, body));
      }
      break;
    }
    case 'stream':
    case 'stream-into':
    case 'stream-raw': {
      // 'stream' reads with os.read (a new Buffer per call, as Python's
      // bytes); 'stream-into' with os.readinto into one reused Buffer;
      // 'stream-raw' with the addon's read into it (the floor).
      const total = Number(a1);
      const chunk = Number(a2);
      const [r, w] = os.pipe();
      const done = peer([mode === 'stream-raw' ? 'stream-writer-raw' : 'stream-writer', a1, a2], [w]);
      os.close(w);
      os.read(r, 1); // the writer is running
      const into = Buffer.allocUnsafe(chunk);
      const t0 = performance.now();
      let got = 0;
      if (mode === 'stream-raw') {
        for (;;) {
          const k = native.read(r, into);
          if (k <= 0) break;
          got += k;
        }
      } else if (mode === 'stream-into') {
        for (;;) {
          const k = os.readinto(r, into);
          if (k === 0) break;
          got += k;
        }
      } else {
        for (;;) {
          const b = os.read(r, chunk);
          if (b.length === 0) break;
          got += b.length;
        }
      }
      const t = (performance.now() - t0) / 1000;
      await done;
      os.close(r);
      if (got !== total) throw new Error(`got ${got} of ${total}`);
      console.log(t.toFixed(6));
      break;
    }
    case 'stream-writer':
    case 'stream-writer-raw': {
      const total = Number(a1);
      const buf = Buffer.alloc(Number(a2), 'x');
      os.write(3, Buffer.from('R'));
      if (mode === 'stream-writer-raw') {
        for (let sent = 0; sent < total; ) sent += rawCount(native.write(3, buf));
      } else {
        for (let sent = 0; sent < total; ) sent += os.write(3, buf);
      }
      break;
    }
    case 'pingpong': {
      const msg = Buffer.alloc(16, 'x');
      await pingpong(Number(a1), 'pingpong-server', (n, aw, br) => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          os.write(aw, struct.pack('<i', msg.length));
          os.write(aw, msg);
          const [length] = struct.unpack('<i', readFull(br, 4)) as [number];
          readFull(br, length);
        }
        return performance.now() - t0;
      });
      break;
    }
    case 'pingpong-server': {
      os.write(4, Buffer.from('R'));
      for (;;) {
        const h = os.read(3, 4);
        if (h.length !== 4) break;
        const [length] = struct.unpack('<i', h) as [number];
        const body = readFull(3, length);
        os.write(4, h);
        os.write(4, body);
      }
      break;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

await main();
