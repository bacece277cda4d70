// What a Popen child inherits: fds, signals, session, cwd, env, stdio
// (test_subprocess.py's POSIXProcessTestCase cases, by name where one exists).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { os, signal, subprocess } from '../../lib/index.js';

const fdsScript = fileURLToPath(new URL('../fixtures/proc-fds.py', import.meta.url));
const statusScript = fileURLToPath(new URL('../fixtures/proc-status.sh', import.meta.url));

interface ChildReport {
  fds: number[];
  targets: Record<string, string>;
  sig: { SigIgn: number; SigBlk: number; SigCgt: number };
  cwd: string;
  pgid: number;
  sid: number;
  pid: number;
  umask: number;
}

/** Starts the fd-reporting fixture with these Popen options and returns its report. */
function report(options: subprocess.PopenOptions = {}): ChildReport {
  const p = new subprocess.Popen(['python3', fdsScript], { stdout: subprocess.PIPE, ...options });
  const [out] = p.communicate();
  expect(p.returncode).toBe(0);
  return JSON.parse(String(out)) as ChildReport;
}

describe('Popen: what the child inherits', () => {
  it('test_pass_fds: the child sees exactly 0, 1, 2 and r, at the same number', () => {
    const [r, w] = os.pipe();
    // Another inheritable fd and plenty of non-inheritable ones must not leak.
    const extra = os.dup2(w, 60, true);
    try {
      const rep = report({ pass_fds: [r] });
      // stdout is our pipe; stdin and stderr are whatever this process has.
      expect(rep.fds).toEqual([0, 1, 2, r]);
      expect(rep.targets[String(r)]).toMatch(/^pipe:/);
      // pass_fds were made inheritable in the child only: ours stays CLOEXEC.
      expect(os.get_inheritable(r)).toBe(false);
    } finally {
      os.close(extra);
      os.close(r);
      os.close(w);
    }
  });

  it('test_close_fds: with close_fds nothing but 0-2 arrives; without it, inheritable fds do (as CPython)', () => {
    const [r, w] = os.pipe();
    const inheritable = os.dup2(w, 61, true);
    try {
      expect(report().fds).toEqual([0, 1, 2]);
      expect(report({ close_fds: true }).fds).toEqual([0, 1, 2]);
      const open = report({ close_fds: false }).fds;
      expect(open).toContain(61);
      expect(open).not.toContain(r); // close-on-exec (PEP 446) still applies
      expect(open).not.toContain(w);
    } finally {
      os.close(inheritable);
      os.close(r);
      os.close(w);
    }
  });

  it('pass_fds with close_fds=false warns and closes anyway, as CPython', () => {
    const [r, w] = os.pipe();
    const inheritable = os.dup2(w, 62, true);
    const warnings: string[] = [];
    const onWarn = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarn);
    try {
      expect(report({ pass_fds: [r], close_fds: false }).fds).toEqual([0, 1, 2, r]);
    } finally {
      os.close(inheritable);
      os.close(r);
      os.close(w);
    }
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        process.off('warning', onWarn);
        expect(warnings).toContain('pass_fds overriding close_fds.');
        resolve();
      }),
    );
  });

  it('a pass_fds entry that collides with nothing special keeps its number even when high', () => {
    const [r, w] = os.pipe();
    const high = os.dup2(r, 1000);
    try {
      expect(report({ pass_fds: [high] }).fds).toEqual([0, 1, 2, 1000]);
    } finally {
      os.close(high);
      os.close(r);
      os.close(w);
    }
  });

  it('default signals: nothing ignored, nothing blocked; restore_signals=false keeps SIGPIPE/SIGXFSZ ignored', () => {
    // sh, not python3: Python ignores SIGPIPE and SIGXFSZ itself at startup.
    const masks = (options: subprocess.PopenOptions = {}) => {
      const p = new subprocess.Popen(['sh', statusScript], {
        stdout: subprocess.PIPE,
        stderr: subprocess.DEVNULL,
        ...options,
      });
      const out = String(p.communicate()[0]);
      const get = (k: string) => Number.parseInt(out.match(new RegExp(`${k}:\\s*([0-9a-f]+)`))?.[1] ?? 'x', 16);
      return { ign: get('SigIgn'), blk: get('SigBlk'), out };
    };
    const d = masks();
    expect([d.ign, d.blk]).toEqual([0, 0]);
    expect(d.out).toMatch(/out\n$/);
    const kept = masks({ restore_signals: false });
    const bit = (s: number) => 2 ** (s - 1);
    // Node ignores exactly these two, as Python does: CPython's restore_signals=False keeps them.
    expect([kept.ign, kept.blk]).toEqual([bit(signal.SIGPIPE) + bit(signal.SIGXFSZ), 0]);
  });

  it('cwd, env, umask, start_new_session, process_group', () => {
    expect(report({ cwd: '/tmp' }).cwd).toBe('/tmp');
    expect(report({ cwd: Buffer.from('/usr') }).cwd).toBe('/usr');
    const p = new subprocess.Popen(['/usr/bin/env'], { env: { A: 'b', EMPTY: '' }, stdout: subprocess.PIPE });
    expect(String(p.communicate()[0])).toBe('A=b\nEMPTY=\n');
    expect(report({ umask: 0o077 }).umask).toBe(0o077);
    const s = report({ start_new_session: true });
    expect([s.sid, s.pgid]).toEqual([s.pid, s.pid]);
    const g = report({ process_group: 0 });
    expect(g.pgid).toBe(g.pid);
    expect(g.sid).not.toBe(g.pid);
    expect(report().pgid).toBe(os.getpgrp());
  });

  it('pipesize sets the capacity of the pipes Popen creates', () => {
    const fill = (pipesize?: number): number => {
      const p = new subprocess.Popen(['sleep', '30'], { stdin: subprocess.PIPE, pipesize });
      const fd = p.stdin?.fileno() as number;
      os.set_blocking(fd, false); // our own end: nobody else shares this file description
      let n = 0;
      try {
        n = os.write(fd, Buffer.alloc(1 << 20));
      } catch {
        n = 0;
      }
      p.kill();
      p[Symbol.dispose]();
      return n;
    };
    expect(fill(1 << 20)).toBe(1 << 20);
    expect(fill()).toBeLessThan(1 << 20); // the default 64 KiB pipe takes less
    expect(() => new subprocess.Popen(['true'], { pipesize: 'x' as unknown as number })).toThrow(
      new TypeError('pipesize must be an integer'),
    );
  });

  it('env given without PATH looks programs up in os.defpath, as CPython', () => {
    const p = new subprocess.Popen(['env'], { env: { X: '1' }, stdout: subprocess.PIPE });
    expect(String(p.communicate()[0])).toBe('X=1\n');
  });

  it('shell=true runs /bin/sh -c; executable replaces argv[0] only for the lookup', () => {
    const p = new subprocess.Popen('echo "$0" $((6*7))', { shell: true, stdout: subprocess.PIPE });
    expect(String(p.communicate()[0])).toBe('/bin/sh 42\n');
    const q = new subprocess.Popen(['fake-name', '-c', 'echo $0'], { executable: '/bin/sh', stdout: subprocess.PIPE });
    expect(String(q.communicate()[0])).toBe('fake-name\n');
  });

  it('stdio: DEVNULL, STDOUT, an fd, a file object, stdin as an fd 0 collision', () => {
    let p = new subprocess.Popen(['sh', '-c', 'echo out; echo err >&2'], {
      stdout: subprocess.PIPE,
      stderr: subprocess.STDOUT,
    });
    expect(String(p.communicate()[0])).toBe('out\nerr\n');
    p = new subprocess.Popen(['sh', '-c', 'echo out; echo err >&2'], {
      stdout: subprocess.PIPE,
      stderr: subprocess.DEVNULL,
    });
    expect(p.communicate()).toEqual([Buffer.from('out\n'), null]);
    p = new subprocess.Popen(['cat'], { stdin: subprocess.DEVNULL, stdout: subprocess.PIPE });
    expect(p.communicate()[0]).toEqual(Buffer.alloc(0));
    const [r, w] = os.pipe();
    p = new subprocess.Popen(['sh', '-c', 'echo to-fd'], { stdout: w });
    p.wait();
    os.close(w);
    expect(String(os.read(r, 100))).toBe('to-fd\n');
    os.close(r);
    const [r2, w2] = os.pipe();
    p = new subprocess.Popen(['sh', '-c', 'echo via-fileno >&2'], { stderr: { fileno: () => w2 } });
    p.wait();
    os.close(w2);
    expect(String(os.read(r2, 100))).toBe('via-fileno\n');
    os.close(r2);
  });

  it('test_swap_fds-style: the child gets the right streams when our pipe fds are 0, 1, 2 themselves', () => {
    // Run the scenario in a child node whose own 0-2 are closed first, so
    // pipe() returns 0, 1 and 2 and _posixsubprocess's collision rules matter.
    const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));
    const script = `
      import { os, subprocess } from ${JSON.stringify(dist)};
      import { writeSync } from 'node:fs';
      const out = os.dup(1);
      os.close(0); os.close(1); os.close(2);
      const [a, b] = os.pipe();          // 0, 1
      const [c, d] = os.pipe();          // 2, 3
      // child's stdout -> b (fd 1), stderr -> a (fd 0, the read end: write fails), stdin <- c (fd 2)
      os.write(d, Buffer.from('input\\n')); os.close(d);
      const p = new subprocess.Popen(['sh', '-c', 'read x; echo "got $x"'], { stdin: c, stdout: b, stderr: subprocess.DEVNULL });
      p.wait(); os.close(b);
      writeSync(out, JSON.stringify({ fds: [a, b, c], got: String(os.read(a, 100)), rc: p.returncode }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(JSON.parse(r.stdout)).toEqual({ fds: [0, 1, 2], got: 'got input\n', rc: 0 });
  });
});

describe("Popen: Node's non-blocking stdio pipes", () => {
  it('an inherited stdio pipe is blocking in the child; an fd passed in explicitly is left as it is', () => {
    const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));
    const script = `
      import { os, subprocess } from ${JSON.stringify(dist)};
      const probe = 'import os, sys; print(os.get_blocking(1), file=sys.stderr)';
      const [r, w] = os.pipe();
      os.set_blocking(w, false);
      process.stdout.write(''); // Node sets up its stdout pipe (O_NONBLOCK) on first use
      const before = os.get_blocking(1);
      new subprocess.Popen(['python3', '-c', probe]).wait();
      new subprocess.Popen(['python3', '-c', probe], { stdout: w }).wait();
      os.close(r); os.close(w);
      console.error('parent', before);`;
    // stdout is a pipe here, which Node makes O_NONBLOCK.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual(['True', 'False', 'parent false']);
  });
});

describe('Popen in a parent whose fds 0-2 are closed (test_small_errpipe_write_fd)', () => {
  it('keeps the error pipe away from 0-2: starts at once, and exec errors still arrive', () => {
    const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));
    const script = `
      import { os, subprocess } from ${JSON.stringify(dist)};
      import { writeSync } from 'node:fs';
      const out = os.dup(1);
      os.close(0); os.close(1); os.close(2);
      const t0 = performance.now();
      const p = new subprocess.Popen(['sleep', '2']);
      const started = performance.now() - t0;
      let err = 'none';
      try { new subprocess.Popen(['nosuch']); } catch (e) { err = e.constructor.name + ': ' + e.message; }
      p.wait();
      writeSync(out, JSON.stringify({ fast: started < 1000, err }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(JSON.parse(r.stdout)).toEqual({
      fast: true,
      err: "FileNotFoundError: [Errno 2] No such file or directory: 'nosuch'",
    });
  });
});
