// subprocess.Popen: what the child inherits (fds, signals, session, cwd,
// env), exec failures, returncode, wait/poll/kill (test_subprocess.py's
// POSIXProcessTestCase cases, by name where one exists).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FileNotFoundError,
  NotADirectoryError,
  OSError,
  os,
  PermissionError,
  SubprocessError,
  signal,
  subprocess,
  ValueError,
} from '../lib/index.js';
import { children } from './helpers/leaks.js';
import { outcome, PY_OUTCOME, pythonJson } from './helpers/python.js';

const fdsScript = fileURLToPath(new URL('./fixtures/proc-fds.py', import.meta.url));
const statusScript = fileURLToPath(new URL('./fixtures/proc-status.sh', import.meta.url));

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

/** Live (non-zombie) children of this process. */
function runningChildren(): number[] {
  return children()
    .filter((c) => c.state !== 'Z')
    .map((c) => c.pid);
}

describe('what the child inherits', () => {
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
    const dist = fileURLToPath(new URL('../dist/lib/index.js', import.meta.url));
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

describe("Node's non-blocking stdio pipes", () => {
  it('an inherited stdio pipe is blocking in the child; an fd passed in explicitly is left as it is', () => {
    const dist = fileURLToPath(new URL('../dist/lib/index.js', import.meta.url));
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

describe('a parent whose fds 0-2 are closed (test_small_errpipe_write_fd)', () => {
  it('keeps the error pipe away from 0-2: starts at once, and exec errors still arrive', () => {
    const dist = fileURLToPath(new URL('../dist/lib/index.js', import.meta.url));
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

describe('user, group, extra_groups', () => {
  /** [uid, gid, ...groups sorted] as the child sees them. */
  const ids = (options: subprocess.PopenOptions) => {
    const [u, g, ...all] = String(subprocess.check_output(['sh', '-c', 'id -u; id -g; id -G'], options))
      .split(/\s+/)
      .filter(Boolean);
    return [u, g, ...[...new Set(all)].sort()];
  };

  // Changing credentials needs root; as anyone else the setreuid fails with
  // EPERM, which the next test covers.
  it.skipIf(process.getuid?.() !== 0)('set in the child only, as CPython (run as root)', () => {
    expect(ids({ user: 'nobody' })).toEqual(['65534', '0', '0']);
    expect(ids({ user: 65534, group: 'nogroup', extra_groups: [] })).toEqual(['65534', '65534', '65534']);
    expect(ids({ group: 65534, extra_groups: [1, 'nogroup'] })).toEqual(['0', '65534', '1', '65534']);
    expect(ids({ extra_groups: [2, 3] })).toEqual(['0', '0', '0', '2', '3']);
    expect(process.getuid?.()).toBe(0);
  });

  it('argument errors as CPython words them', () => {
    const cases: [string, () => unknown][] = [
      ["subprocess.Popen(['true'], user=-1)", () => new subprocess.Popen(['true'], { user: -1 })],
      ["subprocess.Popen(['true'], user=1.5)", () => new subprocess.Popen(['true'], { user: 1.5 })],
      ["subprocess.Popen(['true'], group=1.5)", () => new subprocess.Popen(['true'], { group: 1.5 })],
      ["subprocess.Popen(['true'], group=-2)", () => new subprocess.Popen(['true'], { group: -2 })],
      ["subprocess.Popen(['true'], extra_groups='ab')", () => new subprocess.Popen(['true'], { extra_groups: 'ab' })],
      ["subprocess.Popen(['true'], extra_groups=[1.5])", () => new subprocess.Popen(['true'], { extra_groups: [1.5] })],
      ["subprocess.Popen(['true'], extra_groups=[-3])", () => new subprocess.Popen(['true'], { extra_groups: [-3] })],
      ["subprocess.Popen(['true'], user='nosuchuser')", () => new subprocess.Popen(['true'], { user: 'nosuchuser' })],
      [
        "subprocess.Popen(['true'], group='nosuchgroup')",
        () => new subprocess.Popen(['true'], { group: 'nosuchgroup' }),
      ],
    ];
    const py = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nimport subprocess\nprint(json.dumps([${cases.map(([c]) => `outcome(lambda: ${c})`).join(',\n')}]))`,
    );
    expect(cases.map(([, f]) => outcome(f))).toEqual(py);
  });

  it('ids beyond a uid_t/gid_t are refused before anything narrows them (security: 2**64 must not become group 0)', () => {
    // [python literal, JS value]: numbers, BigInts and bools are Python ints alike.
    const values: [string, unknown][] = [
      ['2**64', 2n ** 64n],
      ['2**64', 2 ** 64],
      ['2**32 + 5', 2n ** 32n + 5n],
      ['2**32 + 5', 2 ** 32 + 5],
      ['2**32', 2n ** 32n],
      ['2**63', 2n ** 63n],
      ['2**32 - 1', 2n ** 32n - 1n],
      ['-1', -1n],
      ['True', true],
    ];
    const cases: [string, () => unknown][] = values.flatMap(([p, v]) =>
      (['extra_groups', 'group', 'user'] as const).map((k): [string, () => unknown] => {
        const pyValue = k === 'extra_groups' ? `[${p}]` : p;
        const jsValue = k === 'extra_groups' ? [v] : v;
        return [
          `subprocess.Popen(['true'], ${k}=${pyValue}).wait()`,
          () => new subprocess.Popen(['true'], { [k]: jsValue }).wait(),
        ];
      }),
    );
    cases.push(
      [
        "subprocess.Popen(['true'], group=2**64, extra_groups=[2**64])",
        () => new subprocess.Popen(['true'], { group: 2n ** 64n, extra_groups: [2n ** 64n] }),
      ],
      [
        "subprocess.Popen(['true'], user=2**64, group=2**64)",
        () => new subprocess.Popen(['true'], { user: 2n ** 64n, group: 2n ** 64n }),
      ],
      [
        "subprocess.Popen(['true'], extra_groups=[2**33, -1])",
        () => new subprocess.Popen(['true'], { extra_groups: [2n ** 33n, -1] }),
      ],
      [
        "subprocess.Popen(['true'], extra_groups=5)",
        () => new subprocess.Popen(['true'], { extra_groups: 5 as never }),
      ],
    );
    const py = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nimport subprocess\nprint(json.dumps([${cases.map(([c]) => `outcome(lambda: ${c})`).join(',\n')}]))`,
    );
    expect(cases.map(([, f]) => outcome(f))).toEqual(py);
  });

  it('a failed setreuid is reported from the child as PermissionError, leaving nothing behind', () => {
    // As root, drop to nobody first and then ask for root back.
    if (process.getuid?.() === 0) {
      const r = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { subprocess } from ${JSON.stringify(fileURLToPath(new URL('../dist/lib/index.js', import.meta.url)))};
           process.setuid(65534);
           try { new subprocess.Popen(['true'], { user: 0 }); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }`,
        ],
        { encoding: 'utf8', timeout: 10_000 },
      );
      expect(r.stdout).toBe('PermissionError: [Errno 1] Operation not permitted\n');
    } else {
      expect(outcome(() => new subprocess.Popen(['true'], { user: 0 }))).toEqual([
        'raise',
        'PermissionError',
        '[Errno 1] Operation not permitted',
        1,
      ]);
    }
  });
});

describe('exec failures', () => {
  it('test_invalid_cmd / nonexistent: FileNotFoundError with the filename, nothing left behind', () => {
    const before = runningChildren();
    const cases: [string, () => unknown][] = [
      ["subprocess.Popen(['nosuch-xyz'])", () => new subprocess.Popen(['nosuch-xyz'])],
      ["subprocess.Popen(['/nonexist/prog'])", () => new subprocess.Popen(['/nonexist/prog'])],
      ["subprocess.Popen(['/etc/passwd'])", () => new subprocess.Popen(['/etc/passwd'])],
      ["subprocess.Popen(['true'], cwd='/nonexist')", () => new subprocess.Popen(['true'], { cwd: '/nonexist' })],
      ["subprocess.Popen(['true'], cwd='/etc/passwd')", () => new subprocess.Popen(['true'], { cwd: '/etc/passwd' })],
      ["subprocess.Popen(['x'], executable='nosuch')", () => new subprocess.Popen(['x'], { executable: 'nosuch' })],
      [
        "subprocess.Popen(['nosuch'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE)",
        () =>
          new subprocess.Popen(['nosuch'], {
            stdout: subprocess.PIPE,
            stderr: subprocess.PIPE,
            stdin: subprocess.PIPE,
          }),
      ],
      ["subprocess.Popen(['true'], env={'A=B': 'c'})", () => new subprocess.Popen(['true'], { env: { 'A=B': 'c' } })],
      ['subprocess.Popen([])', () => new subprocess.Popen([])],
      ["subprocess.Popen([''])", () => new subprocess.Popen([''])],
      ["subprocess.Popen(['true', 1])", () => new subprocess.Popen(['true', 1 as unknown as string])],
      ["subprocess.Popen(['tr\\0ue'])", () => new subprocess.Popen(['tr\0ue'])],
      ["subprocess.Popen(['true'], pass_fds=[-1])", () => new subprocess.Popen(['true'], { pass_fds: [-1] })],
      [
        "subprocess.Popen(['true'], bufsize='x')",
        () => new subprocess.Popen(['true'], { bufsize: 'x' as unknown as number }),
      ],
      [
        "subprocess.Popen(['true'], text=True, universal_newlines=False)",
        () => new subprocess.Popen(['true'], { text: true, universal_newlines: false }),
      ],
    ];
    const py = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nimport subprocess\nprint(json.dumps([${cases.map(([c]) => `outcome(lambda: ${c})`).join(',\n')}]))`,
    );
    const js = cases.map(([, f]) => outcome(f));
    expect(js).toEqual(py);
    expect(runningChildren()).toEqual(before);
  });

  it('the error carries filename, errno and the subclass', () => {
    try {
      new subprocess.Popen(['nosuch']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FileNotFoundError);
      expect(e).toBeInstanceOf(OSError);
      expect((e as OSError).filename).toBe('nosuch');
      expect((e as OSError).errno).toBe(2);
      expect((e as Error).message).toBe("[Errno 2] No such file or directory: 'nosuch'");
    }
    expect(() => new subprocess.Popen(['/etc'])).toThrow(PermissionError);
    expect(() => new subprocess.Popen(['true'], { cwd: '/etc/passwd' })).toThrow(NotADirectoryError);
  });

  it('a closed fd as stdin is EBADF reported from the child, and leaks nothing', () => {
    // A high number: a just-closed low fd would be reused by the error pipe.
    const [r, w] = os.pipe();
    const closed = os.dup2(r, 900);
    for (const fd of [closed, r, w]) os.close(fd);
    const ebadf = ['raise', 'OSError', '[Errno 9] Bad file descriptor', 9];
    expect(outcome(() => new subprocess.Popen(['true'], { stdin: closed }))).toEqual(ebadf);
    expect(outcome(() => new subprocess.Popen(['true'], { stdout: closed }))).toEqual(ebadf);
    expect(outcome(() => new subprocess.Popen(['true'], { pass_fds: [closed] }))).toEqual(ebadf);
  });

  it('preexec_fn is refused with a clear error', () => {
    expect(() => new subprocess.Popen(['true'], { preexec_fn: (() => {}) as unknown as null })).toThrow(
      /preexec_fn is not supported/,
    );
    expect(() => new subprocess.Popen(['true'], { preexec_fn: (() => {}) as unknown as null })).toThrow(ValueError);
  });
});

describe('returncode, wait, poll, signals', () => {
  it('returncode: exit status, or minus the signal', () => {
    const p = new subprocess.Popen(['sh', '-c', 'exit 42']);
    expect(p.wait()).toBe(42);
    expect(p.returncode).toBe(42);
    expect(p.wait()).toBe(42); // cached, no second waitpid
    const k = new subprocess.Popen(['sleep', '30']);
    expect(k.poll()).toBeNull();
    k.kill();
    expect(k.wait()).toBe(-9);
    const t = new subprocess.Popen(['sleep', '30']);
    t.terminate();
    expect(t.wait()).toBe(-15);
    const s = new subprocess.Popen(['sleep', '30']);
    s.send_signal(signal.Signals.SIGINT);
    expect(s.wait()).toBe(-2);
    s.send_signal(signal.SIGKILL); // already reaped: a no-op, as CPython (bpo-38630)
  });

  it('wait(timeout) raises TimeoutExpired with CPython message, then a plain wait() succeeds', () => {
    const p = new subprocess.Popen(['sleep', '0.3']);
    const t0 = performance.now();
    expect(() => p.wait(0.05)).toThrow(subprocess.TimeoutExpired);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    try {
      p.wait({ timeout: 0.01 });
    } catch (e) {
      expect(e).toBeInstanceOf(SubprocessError);
      expect((e as Error).message).toBe("Command '['sleep', '0.3']' timed out after 0.01 seconds");
      expect((e as subprocess.TimeoutExpired).timeout).toBe(0.01);
    }
    expect(p.wait(5)).toBe(0);
    expect(p.wait(0)).toBe(0);
  });

  it('wait(timeout) wakes when the child ends, not at the timeout', () => {
    const p = new subprocess.Popen(['sleep', '0.05']);
    const t0 = performance.now();
    expect(p.wait(10)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('Symbol.dispose closes the pipes and waits', () => {
    let p: subprocess.Popen;
    {
      using q = new subprocess.Popen(['sh', '-c', 'exit 3'], { stdin: subprocess.PIPE, stdout: subprocess.PIPE });
      p = q;
    }
    expect(p.returncode).toBe(3);
    expect(p.stdin?.closed).toBe(true);
    expect(p.stdout?.closed).toBe(true);
  });

  it('stdout.read() on the pipe object reads to EOF', () => {
    using p = new subprocess.Popen(['printf', 'abc'], { stdout: subprocess.PIPE });
    expect(String(p.stdout?.read())).toBe('abc');
  });
});

describe('children of garbage-collected Popen objects', () => {
  it("are reaped by the next Popen, as CPython's _cleanup() does (run in a node with --expose-gc)", () => {
    const dist = fileURLToPath(new URL('../dist/lib/index.js', import.meta.url));
    const script = `
      import { subprocess } from ${JSON.stringify(dist)};
      import { readdirSync, readFileSync } from 'node:fs';
      const zombies = () => readdirSync('/proc').filter((n) => /^\\d+$/.test(n)).filter((n) => {
        try { const s = readFileSync('/proc/' + n + '/stat', 'latin1'); const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
              return f[0] === 'Z' && Number(f[1]) === process.pid; } catch { return false; } }).length;
      (() => { for (let i = 0; i < 5; i++) new subprocess.Popen(['true']); })();
      await new Promise((r) => setTimeout(r, 200));
      const before = zombies();
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 50)); // FinalizationRegistry callbacks run as tasks
      new subprocess.Popen(['true']).wait();
      console.log(JSON.stringify({ before, after: zombies() }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: 5, after: 0 });
  });
});

describe('Popen in worker_threads', () => {
  it("a Worker's child stack is freed with it (issue 10: 128 KiB leaked per Worker)", () => {
    const fixture = fileURLToPath(new URL('./fixtures/worker-popen.mjs', import.meta.url));
    const run = (mode: string) => {
      const r = spawnSync(process.execPath, [fixture, '40', mode], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { grewKiB: number; stacks: number };
    };
    const plain = run('plain');
    const popen = run('popen');
    // Every stack was unmapped with its Worker's environment...
    expect(popen.stacks).toBe(0);
    // ...and the process grew no more than with Workers that never spawned
    // (40 leaked stacks would be 5120 KiB more).
    expect(popen.grewKiB - plain.grewKiB).toBeLessThan(1024);
  }, 60_000);
});
