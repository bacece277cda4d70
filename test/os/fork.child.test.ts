// What a forked child may and may not do (docs/fork.md), each in a plain
// `node` process running test/fixtures/fork-child.mjs: process.exit and
// uncaught errors need Node's real exit path (vitest replaces process.exit),
// and console.log needs a stdout of our choosing.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { sleepMs } from '../fixtures/fork-helpers.js';

const fixture = fileURLToPath(new URL('../fixtures/fork-child.mjs', import.meta.url));
const RETURNED = 'pipefork: forked child returned to the event loop; call os._exit() or os.exec*() in the child\n';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [fixture, ...args], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  const m = /^RESULT (\d+) (.+)$/m.exec(r.stdout);
  if (!m) throw new Error(`fixture failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    child: Number(m[1]),
    status: m[2],
    parent: r.pid as number,
    code: r.status,
  };
}

describe('a forked child', () => {
  it("process.exit(n) exits n, runs the child's own 'exit' listeners and not the parent's", () => {
    for (const n of [0, 9]) {
      const r = run('exit', String(n));
      expect(r.status).toBe(`exit ${n}`);
      expect(r.stdout).toBe(
        `child-own-listener ${n}\nRESULT ${r.child} exit ${n}\nparent-exit-listener ran in ${r.parent}\n`,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });

  it('an uncaught error is printed and exits 1, as in Node (no crash in the exit path)', () => {
    const r = run('uncaught');
    expect(r.status).toBe('exit 1');
    expect(r.stderr).toContain('Error: uncaught in the child');
    expect(r.stdout).toBe(`RESULT ${r.child} exit 1\nparent-exit-listener ran in ${r.parent}\n`);
  });

  it("returning to the event loop is stopped loudly (fd 2, exit 70), before any of the parent's timers run", () => {
    const r = run('loop');
    expect(r.status).toBe('exit 70');
    expect(r.stderr).toBe(RETURNED);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('child returns to the loop');
    // The parent's 5 ms interval ran in the parent only.
    expect(lines.filter((l) => l.startsWith('tick in')).every((l) => l === `tick in ${r.parent}`)).toBe(true);
    expect(lines.some((l) => l === `tick in ${r.child}`)).toBe(false);
  });

  it('awaiting a timer is stopped the same way (a promise job that needs no I/O still runs)', () => {
    const r = run('await');
    expect(r.status).toBe('exit 70');
    expect(r.stderr).toBe(RETURNED);
    expect(r.stdout).toContain('child ran after an await\n');
    expect(r.stdout).not.toContain('child ran after a timer');
  });

  it('async thread-pool work in the child never completes: the child is stopped before its callback', () => {
    const r = run('async-pool');
    expect(r.status).toBe('exit 70');
    expect(r.stderr).toBe(RETURNED);
    expect(r.stdout).not.toContain('callback ran');
  });

  it('exec after fork: the program has stdio and default signals (SIGPIPE kills it)', () => {
    const r = run('exec');
    expect(r.status).toBe('signal 13');
    expect(r.stdout).toBe(
      `out\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nRESULT ${r.child} signal 13\nparent-exit-listener ran in ${r.parent}\n`,
    );
    expect(r.stderr).toBe('err\n');
  });

  it('a failed exec in fork(childFn) raises in the child: printed, exit 70', () => {
    const r = run('exec-missing');
    expect(r.status).toBe('exit 70');
    expect(r.stderr).toMatch(/^FileNotFoundError: \[Errno 2\] No such file or directory\n/);
  });

  // Needs root to become an unprivileged user (root ignores RLIMIT_NPROC);
  // CI and this machine run tests as root.
  it.skipIf(process.getuid?.() !== 0)(
    'fork(2) failing with EAGAIN raises BlockingIOError and leaves the parent intact',
    () => {
      const r = spawnSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, fixture, 'eagain'],
        {
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(
        'BlockingIOError 11 EAGAIN fork [Errno 11] Resource temporarily unavailable\n' +
          'dontfork ranges still marked: true\n' +
          'RESULT 0 parent fine 200\n' +
          `parent-exit-listener ran in ${r.pid}\n`,
      );
    },
  );

  const lines = (n: number) => Array.from({ length: n }, (_, i) => `child line ${i} ${'x'.repeat(40)}`);

  it('console.log to a file, then _exit: every line arrives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipefork-fork-'));
    try {
      const out = openSync(join(dir, 'out'), 'w');
      const r = spawnSync(process.execPath, [fixture, 'console', '2000'], {
        stdio: ['ignore', out, 'pipe'],
        encoding: 'utf8',
        timeout: 30_000,
      });
      closeSync(out);
      const text = readFileSync(join(dir, 'out'), 'utf8');
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('child stderr line\n');
      expect(text).toMatch(/RESULT \d+ exit 0\n/);
      expect(text.split('\n').filter((l) => l.startsWith('child line'))).toEqual(lines(2000));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('console.log to a pipe with a reader, then _exit: every line arrives (parent stdout untouched and touched)', () => {
    // 2000 lines is 110 KB, more than a pipe holds: before the child's
    // stdout writes were made blocking, one child in 50 lost lines here.
    for (const touched of ['', 'touched']) {
      const r = spawnSync(process.execPath, [fixture, 'console', '2000', touched], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('child line'))).toEqual(lines(2000));
      expect(r.stderr).toBe('child stderr line\n');
    }
  });

  it('console.log to a pipe whose reader starts late: the child waits for it instead of losing output', async () => {
    // docs/fork.md, hazard 7: with a slow reader only one pipe buffer (656
    // of 40,000 lines from 20 children) arrived. The child now blocks until the reader drains the pipe.
    const [r, w] = os.pipe();
    const child = spawn(process.execPath, [fixture, 'console', '2000', 'touched'], { stdio: ['ignore', w, 'pipe'] });
    os.close(w);
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    let out = '';
    os.set_blocking(r, false);
    const deadline = Date.now() + 20_000;
    try {
      for (;;) {
        try {
          const b = os.read(r, 65536);
          if (b.length === 0) break;
          out += b.toString();
        } catch (e) {
          if ((e as { code?: string }).code !== 'EAGAIN') throw e;
          if (Date.now() > deadline) {
            child.kill('SIGKILL');
            throw new Error('the fixture did not finish writing in 20 s');
          }
          sleepMs(2);
        }
      }
    } finally {
      os.close(r);
    }
    expect(await exited).toBe(0);
    expect(out.split('\n').filter((l) => l.startsWith('child line'))).toEqual(lines(2000));
    expect(stderr).toBe('child stderr line\n');
  });
});
