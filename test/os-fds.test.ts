// os fd management: inheritable and blocking flags, dup/dup2, closerange,
// open/mkfifo/fstat/isatty — each against CPython running the same steps.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileExistsError, FileNotFoundError, os, stat, sys } from '../lib/index.js';
import { pythonJson } from './helpers/python.js';
import { runBoth } from './helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-os-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('os fd flags', () => {
  it('test_inheritable: pipe, dup and dup2 as PEP 446 says', () => {
    const fds: number[] = [];
    let r = -1;
    const { python, pipefork } = runBoth([
      {
        pySetup: 'r, w = os.pipe()',
        py: '[os.get_inheritable(r), os.get_inheritable(w), os.get_blocking(r)]',
        js: () => {
          const p = os.pipe();
          fds.push(...p);
          r = p[0];
          return [os.get_inheritable(p[0]), os.get_inheritable(p[1]), os.get_blocking(p[0])];
        },
      },
      {
        pySetup: 'd = os.dup(r)',
        py: 'os.get_inheritable(d)',
        js: () => {
          const d = os.dup(r);
          fds.push(d);
          return os.get_inheritable(d);
        },
      },
      {
        pySetup: 'd2 = os.dup(r); os.dup2(r, d2)',
        py: 'os.get_inheritable(d2)',
        js: () => {
          const d2 = os.dup(r);
          fds.push(d2);
          os.dup2(r, d2);
          return os.get_inheritable(d2);
        },
      },
      {
        pySetup: 'd3 = os.dup(r); os.dup2(r, d3, inheritable=False)',
        py: 'os.get_inheritable(d3)',
        js: () => {
          const d3 = os.dup(r);
          fds.push(d3);
          os.dup2(r, d3, { inheritable: false });
          return os.get_inheritable(d3);
        },
      },
      {
        pySetup: 'd4 = os.dup(r); os.dup2(r, d4, False)',
        py: 'os.get_inheritable(d4)',
        js: () => {
          const d4 = os.dup(r);
          fds.push(d4);
          os.dup2(r, d4, false);
          return os.get_inheritable(d4);
        },
      },
      {
        pySetup: 'os.set_inheritable(r, True)',
        py: 'os.get_inheritable(r)',
        js: () => (os.set_inheritable(r, true), os.get_inheritable(r)),
      },
      {
        pySetup: 'os.set_blocking(r, False)',
        py: 'os.get_blocking(r)',
        js: () => (os.set_blocking(r, false), os.get_blocking(r)),
      },
      { py: 'os.dup2(r, -1)', js: () => os.dup2(r, -1) },
      { py: 'os.dup(-1)', js: () => os.dup(-1) },
      { py: 'os.get_inheritable(-1)', js: () => os.get_inheritable(-1) },
      { py: 'os.set_blocking(-1, True)', js: () => os.set_blocking(-1, true) },
    ]);
    for (const fd of fds) os.close(fd);
    expect(pipefork).toEqual(python);
  });

  it("dup2's inheritable takes any object's truth value, as CPython 3.11's does", () => {
    // [JS value, the Python value it stands for]
    const values: [unknown, string][] = [
      [0.5, '0.5'],
      ['x', "'x'"],
      [[1], '[1]'],
      [Buffer.alloc(0), "b''"],
      [null, 'None'],
      [[], '[]'],
      [0, '0.0'],
      [Number.NaN, "float('nan')"],
      // (a plain object last is keyword arguments in pipefork, so a dict is a Map here)
      [new Map([[1, 1]]), '{1: 1}'],
      [new Map(), '{}'],
    ];
    const want = pythonJson<boolean[]>(`
import json, os
r, w = os.pipe()
out = []
for v in [${values.map(([, p]) => p).join(', ')}]:
    d = os.dup(r)
    os.dup2(r, d, v)
    out.append(os.get_inheritable(d))
    os.close(d)
print(json.dumps(out))`);
    const [r, w] = os.pipe();
    try {
      const got = values.map(([v]) => {
        const d = os.dup(r);
        try {
          os.dup2(r, d, v as boolean);
          return os.get_inheritable(d);
        } finally {
          os.close(d);
        }
      });
      expect(got).toEqual(want);
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('dup2 returns fd2 and makes it refer to the same pipe', () => {
    const [r, w] = os.pipe();
    const [r2, w2] = os.pipe();
    try {
      expect(os.dup2(w, w2)).toBe(w2);
      os.write(w2, Buffer.from('via dup2'));
      expect(os.read(r, 100).toString()).toBe('via dup2');
    } finally {
      for (const fd of [r, w, r2, w2]) os.close(fd);
    }
  });

  it('closerange closes [low, high) and ignores fds that are not open', () => {
    const fds = [...os.pipe(), ...os.pipe()].sort((a, b) => a - b);
    const lo = fds[0] as number;
    const hi = fds[3] as number;
    os.closerange(lo, hi); // leaves `hi` open
    for (const fd of fds.slice(0, 3)) expect(() => os.fstat(fd)).toThrow('[Errno 9] Bad file descriptor');
    expect(stat.S_ISFIFO(os.fstat(hi).st_mode)).toBe(true);
    os.close(hi);
    os.closerange(hi + 1000, hi + 1010);
  });
});

describe('os files', () => {
  it('open, mkfifo, fstat, isatty and their errors, as CPython', () => {
    // Each side works in its own folder; the folder names are scrubbed before comparing.
    const jsDir = join(dir, 'js');
    const pyDir = join(dir, 'py');
    mkdirSync(jsDir);
    mkdirSync(pyDir);
    const fifo = join(jsDir, 'fifo');
    const file = join(jsDir, 'file');
    const fds: number[] = [];
    const keep = (fd: number) => (fds.push(fd), fd);
    const { python, pipefork } = runBoth(
      [
        { py: 'os.mkfifo(fifo)', js: () => os.mkfifo(fifo) },
        { py: 'os.mkfifo(fifo)', js: () => os.mkfifo(fifo) },
        {
          pySetup: 'f = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)',
          py: '[stat.S_ISFIFO(os.fstat(f).st_mode), stat.S_ISREG(os.fstat(f).st_mode), os.get_inheritable(f), os.isatty(f)]',
          js: () => {
            const f = keep(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK));
            const m = os.fstat(f).st_mode;
            return [stat.S_ISFIFO(m), stat.S_ISREG(m), os.get_inheritable(f), os.isatty(f)];
          },
        },
        {
          pySetup: 'g = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600); os.write(g, b"12345")',
          py: '[os.fstat(g).st_size, stat.S_ISREG(os.fstat(g).st_mode), stat.S_IMODE(os.fstat(g).st_mode)]',
          js: () => {
            const g = keep(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600));
            os.write(g, Buffer.from('12345'));
            const st = os.fstat(g);
            return [st.st_size, stat.S_ISREG(st.st_mode), stat.S_IMODE(st.st_mode)];
          },
        },
        {
          py: 'os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL)',
          js: () => os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL),
        },
        { py: 'os.open(d + "/nosuch", os.O_RDONLY)', js: () => os.open(join(jsDir, 'nosuch'), os.O_RDONLY) },
        { py: 'os.open("a\\0b", os.O_RDONLY)', js: () => os.open('a\0b', os.O_RDONLY) },
        { py: 'os.open(5, os.O_RDONLY)', js: () => os.open(5 as unknown as string, os.O_RDONLY) },
        { py: 'os.mkfifo(d + "/nodir/fifo")', js: () => os.mkfifo(join(jsDir, 'nodir', 'fifo')) },
        { py: 'os.isatty(-1)', js: () => os.isatty(-1) },
        { py: 'os.fstat(-1)', js: () => os.fstat(-1) },
      ],
      `import stat\nd = ${JSON.stringify(pyDir)}\nfifo = d + "/fifo"\nfile = d + "/file"`,
    );
    for (const fd of fds) os.close(fd);
    const scrub = (xs: unknown[]) =>
      JSON.parse(JSON.stringify(xs).replaceAll(jsDir, 'DIR').replaceAll(pyDir, 'DIR')) as unknown[];
    expect(scrub(pipefork)).toEqual(scrub(python));
    expect(() => os.mkfifo(fifo)).toThrow(FileExistsError);
    expect(() => os.open(join(jsDir, 'nosuch'), os.O_RDONLY)).toThrow(FileNotFoundError);
  });

  it('fstat gives the fields CPython gives, with exact nanosecond times', () => {
    const [r, w] = os.pipe();
    try {
      const st = os.fstat(r);
      expect(stat.S_ISFIFO(st.st_mode)).toBe(true);
      expect(st.st_blksize).toBe(4096);
      expect(typeof st.st_mtime_ns).toBe('bigint');
      expect(Number(st.st_mtime_ns / 1_000_000_000n)).toBe(Math.floor(st.st_mtime));
      expect(String(st)).toMatch(/^os\.stat_result\(st_mode=\d+, st_ino=\d+, /);
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('sys.executable and sys.argv are what a Python port expects', () => {
    expect(sys.executable).toBe(process.execPath);
    expect(sys.argv).toEqual(process.argv.slice(1));
  });
});
