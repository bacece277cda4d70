// os.open, mkfifo, fstat and isatty, and their errors, against CPython.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileExistsError, FileNotFoundError, os, stat, sys } from '../../lib/index.js';
import { runBoth } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-os-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('os.open, mkfifo, fstat, isatty', () => {
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
