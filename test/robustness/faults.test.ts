// Faults: the fd table full (EMFILE, in a child with RLIMIT_NOFILE lowered
// by `ulimit -n`), a peer killed mid-transfer, a reader that closes early,
// and leak loops of 10,000 iterations after which no fd and no zombie is
// left. Each outcome is CPython's where CPython has one (the same program
// run by python3). `npm run test:fuzz` (PIPEFORK_FUZZ=long) runs the loops
// that start processes 10,000 times too.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BrokenPipeError, io, os, subprocess } from '../../lib/index.js';
import { LONG, runs } from '../helpers/fuzz.js';
import { zombieChildren } from '../helpers/leaks.js';
import { PIPEFORK } from '../helpers/program.js';
import { runCases } from '../helpers/scenario.js';

const { PIPE } = subprocess;
const fdCount = () => readdirSync('/proc/self/fd').length;

/** Runs `program` (python3 -c or an ES module in node) under `ulimit -n limit`; its stdout parsed as JSON. */
function underLimit(lang: 'py' | 'js', limit: number, program: string): unknown {
  const cmd = lang === 'py' ? 'exec python3 -c "$PROGRAM"' : 'exec "$NODE" --input-type=module -e "$PROGRAM"';
  const r = spawnSync('sh', ['-c', `ulimit -n ${limit} && ${cmd}`], {
    encoding: 'utf8',
    env: { ...process.env, NODE: process.execPath, PROGRAM: program.replaceAll('PIPEFORK', PIPEFORK) },
    timeout: 60_000,
  });
  if (r.status !== 0)
    throw new Error(`${lang} under ulimit -n ${limit} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Fill the fd table, try each call, give one fd back and try again (then
// two); the fds open after each call must be those open before it. Listing
// /proc/self/fd needs an fd itself: one is held and given back to list.
const EMFILE_PY = `
import io, json, os, subprocess
filler = []
try:
    while True: filler.append(os.open('/dev/null', os.O_RDONLY))
except OSError as e:
    assert e.errno == 24
hold = [filler.pop()]
def listing():
    os.close(hold[0])
    names = sorted(os.listdir('/proc/self/fd'))
    hold[0] = os.open('/dev/null', os.O_RDONLY)
    return names
calls = [
    ('os.pipe()', lambda: os.pipe()),
    ('os.dup(0)', lambda: os.dup(0)),
    ('os.open', lambda: os.open('/dev/null', os.O_RDONLY)),
    ("io.open(path, 'rb')", lambda: io.open('/dev/null', 'rb')),
    ("Popen(['true'])", lambda: subprocess.Popen(['true'])),
    ("Popen(['true'], stdout=PIPE)", lambda: subprocess.Popen(['true'], stdout=subprocess.PIPE)),
]
out = []
for free in (0, 1, 2):
    for fd in filler[:free]: os.close(fd)
    filler = filler[free:]
    for name, f in calls:
        before = listing()
        try:
            r = f()
            outcome = 'ok'
            if isinstance(r, subprocess.Popen):
                r.wait()
                if r.stdout: r.stdout.close()
            elif isinstance(r, tuple): [os.close(x) for x in r]
            elif isinstance(r, int): os.close(r)
            else: r.close()
        except OSError as e:
            outcome = [type(e).__name__, e.errno, e.strerror]
        out.append([free, name, outcome, listing() == before])
print(json.dumps(out))
`;

const EMFILE_JS = `
import { readdirSync } from 'node:fs';
import { io, os, subprocess } from 'PIPEFORK';
let filler = [];
try {
  for (;;) filler.push(os.open('/dev/null', os.O_RDONLY));
} catch (e) {
  if (e.errno !== 24) throw e;
}
let hold = filler.pop();
const listing = () => {
  os.close(hold);
  const names = readdirSync('/proc/self/fd').sort().join();
  hold = os.open('/dev/null', os.O_RDONLY);
  return names;
};
const calls = [
  ['os.pipe()', () => os.pipe()],
  ['os.dup(0)', () => os.dup(0)],
  ['os.open', () => os.open('/dev/null', os.O_RDONLY)],
  ["io.open(path, 'rb')", () => io.open('/dev/null', 'rb')],
  ["Popen(['true'])", () => new subprocess.Popen(['true'])],
  ["Popen(['true'], stdout=PIPE)", () => new subprocess.Popen(['true'], { stdout: subprocess.PIPE })],
];
const out = [];
for (const free of [0, 1, 2]) {
  for (const fd of filler.slice(0, free)) os.close(fd);
  filler = filler.slice(free);
  for (const [name, f] of calls) {
    const before = listing();
    let outcome;
    try {
      const r = f();
      outcome = 'ok';
      if (r instanceof subprocess.Popen) {
        r.wait();
        r.stdout?.close();
      } else if (Array.isArray(r)) for (const x of r) os.close(x);
      else if (typeof r === 'number') os.close(r);
      else r.close();
    } catch (e) {
      outcome = e.errno === undefined ? [e.constructor.name, e.message] : [e.constructor.name, e.errno, e.strerror];
    }
    out.push([free, name, outcome, listing() === before]);
  }
}
console.log(JSON.stringify(out));
`;

describe('EMFILE: the fd table full (ulimit -n 64)', () => {
  it("each call that needs an fd raises CPython's OSError [Errno 24] and leaks nothing; one fd back, pipe() still fails", () => {
    const js = underLimit('js', 64, EMFILE_JS) as [number, string, unknown, boolean][];
    const py = underLimit('py', 64, EMFILE_PY) as [number, string, unknown, boolean][];
    // Nothing leaked on any path, failed or not, in either.
    expect(js.filter((r) => !r[3])).toEqual([]);
    expect(py.filter((r) => !r[3])).toEqual([]);
    const emfile = ['OSError', 24, 'Too many open files'];
    // With no fd free, every call fails as CPython's does.
    expect(js.filter((r) => r[0] === 0).map((r) => r[2])).toEqual(js.filter((r) => r[0] === 0).map(() => emfile));
    expect(js.filter((r) => r[0] === 0)).toEqual(py.filter((r) => r[0] === 0));
    // With one free, what needs one fd works and pipe() (two) does not, in both.
    const one = (rows: [number, string, unknown, boolean][]) =>
      Object.fromEntries(rows.filter((r) => r[0] === 1 && !r[1].startsWith('Popen')).map((r) => [r[1], r[2]]));
    expect(one(js)).toEqual(one(py));
    expect(one(js)['os.pipe()']).toEqual(emfile);
    // Popen needs more fds than one or three (its error pipe, the pipes): it fails cleanly or works.
    for (const r of js.filter((x) => x[1].startsWith('Popen'))) expect([emfile, 'ok']).toContainEqual(r[2]);
  });
});

describe('a peer that dies or stops reading', () => {
  it('writing to a child killed before it read: BrokenPipeError, and close() still closes (as CPython)', () => {
    const run = () => {
      const p = new subprocess.Popen(['sleep', '10'], { stdin: PIPE });
      p.kill();
      p.wait();
      const stdin = p.stdin as io.BufferedWriter;
      const out: unknown[] = [];
      try {
        stdin.write(Buffer.alloc(100_000, 120));
        stdin.flush();
        out.push('no error');
      } catch (e) {
        out.push([(e as Error).constructor.name, (e as BrokenPipeError).errno]);
      }
      try {
        stdin.close();
        out.push('closed');
      } catch (e) {
        out.push(['close', (e as Error).constructor.name]);
      }
      out.push(stdin.closed);
      return out;
    };
    const { python, pipefork } = runCases(
      [[`(lambda p: (p.kill(), p.wait(), run(p))[2])(subprocess.Popen(['sleep', '10'], stdin=subprocess.PIPE))`, run]],
      `import subprocess
def run(p):
    out = []
    try:
        p.stdin.write(b'x' * 100000); p.stdin.flush(); out.append('no error')
    except OSError as e:
        out.append([type(e).__name__, e.errno])
    try:
        p.stdin.close(); out.append('closed')
    except OSError as e:
        out.append(['close', type(e).__name__])
    out.append(p.stdin.closed)
    return out`,
    );
    expect(pipefork).toEqual(python);
    expect(pipefork[0]).toEqual(['ok', [['BrokenPipeError', 32], 'closed', true]]);
  });

  it('communicate() with a child killed mid-input, or one that reads 10 bytes and exits: no error, as CPython', () => {
    const cases: [string, () => unknown][] = [
      [
        "(lambda p: [(lambda o: [list(o[0]), o[1]])(p.communicate(b'x' * 4000000)), p.returncode])(subprocess.Popen(['sh', '-c', 'head -c 65536 >/dev/null; kill -9 $$'], stdin=subprocess.PIPE, stdout=subprocess.PIPE))",
        () => {
          const p = new subprocess.Popen(['sh', '-c', 'head -c 65536 >/dev/null; kill -9 $$'], {
            stdin: PIPE,
            stdout: PIPE,
          });
          const [out, err] = p.communicate(Buffer.alloc(4_000_000, 120));
          return [[[...(out as Buffer)], err], p.returncode];
        },
      ],
      [
        "(lambda p: [(lambda o: [list(o[0]), o[1]])(p.communicate(b'y' * 4000000)), p.returncode])(subprocess.Popen(['head', '-c', '10'], stdin=subprocess.PIPE, stdout=subprocess.PIPE))",
        () => {
          const p = new subprocess.Popen(['head', '-c', '10'], { stdin: PIPE, stdout: PIPE });
          const [out, err] = p.communicate(Buffer.alloc(4_000_000, 121));
          return [[[...(out as Buffer)], err], p.returncode];
        },
      ],
    ];
    const { python, pipefork } = runCases(cases, 'import subprocess');
    expect(pipefork).toEqual(python);
  });

  it('reading from a child killed mid-output: what it wrote, then EOF; the return code says the signal', () => {
    const p = new subprocess.Popen(['sh', '-c', 'head -c 300000 /dev/zero; kill -9 $$'], { stdout: PIPE });
    const data = (p.stdout as io.BufferedReader).read();
    expect(data?.length).toBe(300_000);
    expect(p.wait()).toBe(-9);
    p.stdout?.close();
  });

  it('a buffered writer whose reader is gone: flush() raises BrokenPipeError, close() closes the fd anyway', () => {
    const [r, w] = os.pipe();
    const f = os.fdopen(w, 'wb');
    f.write(Buffer.from('pending'));
    os.close(r);
    const before = fdCount();
    expect(() => f.flush()).toThrow(BrokenPipeError);
    expect(() => f.close()).toThrow(BrokenPipeError);
    expect(f.closed).toBe(true);
    expect(fdCount()).toBe(before - 1);
  });
});

describe('leak loops: 10,000 iterations, then no fd and no zombie left', () => {
  const loop = (n: number, body: (i: number) => void) => {
    const fds = fdCount();
    const zombies = zombieChildren().length;
    for (let i = 0; i < n; i++) body(i);
    expect(fdCount()).toBe(fds);
    expect(zombieChildren().length).toBe(zombies);
  };

  it('os.pipe + fdopen both ends + write/read + close', () => {
    loop(10_000, () => {
      const [r, w] = os.pipe();
      const fw = os.fdopen(w, 'wb');
      const fr = os.fdopen(r, 'rb');
      fw.write(Buffer.from('x'));
      fw.close();
      fr.read();
      fr.close();
    });
  });

  it('failing calls: fdopen of a bad mode, io.open of a missing file, dup of a closed fd, Popen of a missing program', () => {
    loop(10_000, (i) => {
      const [r, w] = os.pipe();
      expect(() => os.fdopen(r, 'bad')).toThrow();
      os.close(r);
      os.close(w);
      expect(() => io.open('/nonexistent/pipefork', 'rb')).toThrow();
      expect(() => os.dup(r)).toThrow();
      if (i % 10 === 0) expect(() => new subprocess.Popen(['/nonexistent/pipefork'], { stdout: PIPE })).toThrow();
    });
  });

  it(
    'Popen with three pipes + communicate (10,000 in the long run, 1,000 here)',
    () => {
      loop(runs(1_000, 10_000), (i) => {
        const p = new subprocess.Popen(['cat'], { stdin: PIPE, stdout: PIPE, stderr: PIPE });
        const [out] = p.communicate(Buffer.from(String(i)));
        expect(String(out)).toBe(String(i));
      });
    },
    LONG ? 600_000 : 120_000,
  );

  it(
    'Popen + wait and Popen + kill + wait (10,000 in the long run, 1,000 here)',
    () => {
      loop(runs(1_000, 10_000), (i) => {
        const p = new subprocess.Popen(i % 2 ? ['true'] : ['sleep', '10']);
        if (i % 2 === 0) p.kill();
        p.wait();
      });
    },
    LONG ? 600_000 : 120_000,
  );
});
