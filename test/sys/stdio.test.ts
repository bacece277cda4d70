// sys.stdin, sys.stdout, sys.stderr and sys.exit, run as whole programs in
// CPython and in Node: the streams' make-up (buffering, errors handler,
// names), reading lines, flushing at exit, exit statuses, and one order of
// output when sys.stdout is mixed with console.log and process.stdout.write
// on a pipe, a file and a terminal.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PIPEFORK, runNode, runPython, runShell } from '../helpers/program.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-sys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The attributes a program can see of the three streams, as a Python expression list. */
const ATTRS = `[[repr(f), f.encoding, f.errors, f.line_buffering, f.write_through, f.mode, f.name, repr(f.buffer),
  repr(getattr(f.buffer, 'raw', f.buffer)), f.buffer.raw.closefd if hasattr(f.buffer, 'raw') else f.buffer.closefd]
  for f in (sys.stdin, sys.stdout, sys.stderr)]`;
const JS_ATTRS = `[sys.stdin, sys.stdout, sys.stderr].map((f) => [String(f), f.encoding, f.errors, f.line_buffering,
  f.write_through, f.mode, f.name, String(f.buffer), String(f.buffer.raw ?? f.buffer), (f.buffer.raw ?? f.buffer).closefd])`;

function attrsBoth(env: Record<string, string | undefined> = {}): [unknown, unknown] {
  const py = runPython(`import sys, json\nprint(json.dumps(${ATTRS}))`, { env });
  const js = runNode(`import { sys } from 'PIPEFORK';\nconsole.log(JSON.stringify(${JS_ATTRS}))`, { env });
  return [JSON.parse(js.stdout), JSON.parse(py.stdout)];
}

describe('sys.stdin, sys.stdout, sys.stderr', () => {
  it('are made as CPython makes them on pipes (stdout block-buffered, stderr line-buffered with backslashreplace)', () => {
    const [ours, theirs] = attrsBoth();
    expect(ours).toEqual(theirs);
  });

  it('follow the locale for the errors handler of stdin and stdout, as CPython does', () => {
    for (const LC_ALL of ['C', 'POSIX', 'C.UTF-8']) {
      const [ours, theirs] = attrsBoth({ LC_ALL });
      expect([LC_ALL, ours]).toEqual([LC_ALL, theirs]);
    }
  });

  it('have no buffer under stdout and stderr with PYTHONUNBUFFERED, as python3 -u', () => {
    const [ours, theirs] = attrsBoth({ PYTHONUNBUFFERED: '1' });
    expect(ours).toEqual(theirs);
  });

  it('are line-buffered on a terminal', () => {
    const py = `import sys\nprint([f.line_buffering for f in (sys.stdin, sys.stdout, sys.stderr)], sys.stdout.isatty())`;
    const js = `import { builtins, sys } from '${PIPEFORK}';\nconst { print } = builtins;\nprint([sys.stdin, sys.stdout, sys.stderr].map((f) => f.line_buffering), sys.stdout.isatty())`;
    expect(terminal(['node', '--input-type=module', '-e', js])).toEqual(terminal(['python3', '-c', py]));
  });

  it('are not made at import: with fds 0-2 closed, importing works and print() does nothing', () => {
    const r = runShell(
      `"${process.execPath}" --input-type=module -e "import { builtins } from '${PIPEFORK}'; builtins.print('lost'); import('node:fs').then((fs) => fs.writeSync(3, 'imported'))" 3>&1 <&- >&- 2>&-`,
    );
    expect([r.stdout, r.status]).toEqual(['imported', 0]);
  });
});

/** Output that is buffered and never flushed, then the end of the program in one of several ways. */
const ENDINGS: [string, string, string][] = [
  ['falls off the end', '', ''],
  ['sys.exit(3)', 'sys.exit(3)', 'sys.exit(3)'],
  ["sys.exit('bye')", "sys.exit('bye')", "sys.exit('bye')"],
  ['os._exit(0) (nothing flushed)', 'import os; os._exit(0)', 'os._exit(0)'],
];

describe('output at exit', () => {
  it('is flushed as CPython flushes it, with the exit status of sys.exit', () => {
    for (const [what, py, js] of ENDINGS) {
      const p = runPython(`import sys\nsys.stdout.write('out')\nsys.stderr.write('err')\n${py}`);
      const n = runNode(
        `import { sys, os } from 'PIPEFORK';\nsys.stdout.write('out');\nsys.stderr.write('err');\n${js}`,
      );
      expect([what, n.stdout, n.stderr, n.status]).toEqual([what, p.stdout, p.stderr, p.status]);
    }
  });

  it('sys.exit inside try/finally runs the finally block first, as Python does', () => {
    const p = runPython(`import sys\ntry:\n    sys.exit(2)\nfinally:\n    print('finally')`);
    const n = runNode(
      `import { builtins, sys } from 'PIPEFORK';\nconst { print } = builtins;\ntry { sys.exit(2); } finally { print('finally'); }`,
    );
    expect([n.stdout, n.status]).toEqual([p.stdout, p.status]);
  });

  it('sys.exit refuses two arguments as CPython does', () => {
    const n = runNode(`import { sys } from 'PIPEFORK';\ntry { sys.exit(1, 2); } catch (e) { console.log(e.message); }`);
    const p = runPython(`import sys\ntry: sys.exit(1, 2)\nexcept TypeError as e: print(e)`);
    expect(n.stdout).toBe(p.stdout);
  });
});

describe('reading sys.stdin', () => {
  it('readline, iteration and read as CPython, on a pipe', () => {
    const input = 'one\ntwo\r\nthree\nfour';
    const p = runPython(
      `import sys, json\nout = [sys.stdin.readline(), sys.stdin.readline(2)]\nout += list(sys.stdin)\nout.append(sys.stdin.read())\nprint(json.dumps(out))`,
      { input },
    );
    const n = runNode(
      `import { sys } from 'PIPEFORK';\nconst out = [sys.stdin.readline(), sys.stdin.readline(2)];\nfor (const l of sys.stdin) out.push(l);\nout.push(sys.stdin.read());\nconsole.log(JSON.stringify(out))`,
      { input },
    );
    expect(JSON.parse(n.stdout)).toEqual(JSON.parse(p.stdout));
  });

  it('sys.stdin.buffer reads bytes', () => {
    const n = runNode(
      `import { builtins, sys } from 'PIPEFORK';\nconst { print } = builtins;\nprint(sys.stdin.buffer.read(3), sys.stdin.buffer.read())`,
      {
        input: 'abcdef',
      },
    );
    const p = runPython(`import sys\nprint(sys.stdin.buffer.read(3), sys.stdin.buffer.read())`, { input: 'abcdef' });
    expect(n.stdout).toBe(p.stdout);
  });
});

// Node's console.log and process.stdout.write are not Python: what pipefork
// promises for them is the order the program wrote in (docs/sys.md), on a
// pipe even when the reader is slow and the pipe fills, on a file, and on a
// terminal.
const MIXED = `import { builtins, sys } from 'PIPEFORK';\nconst { print } = builtins;
const big = 'x'.repeat(100000);
for (let i = 0; i < 8; i++) {
  print('p' + i);
  console.log('c' + i + ' ' + big);
  process.stdout.write('n' + i + '\\n');
  sys.stdout.write('s' + i + ' ' + big + '\\n');
  sys.stdout.buffer.write(Buffer.from('b' + i + '\\n'));
}
sys.stderr.write('e1 ');
console.error('e2');
sys.stderr.write('e3');
print('end', { end: '' });`;
const WANT = `${Array.from({ length: 8 }, (_, i) => `p${i} c${i} n${i} s${i} b${i} `).join('')}end`;

/** The first field of each line, joined: the order the lines came in. */
const order = (out: string) =>
  out
    .split(/\r?\n/)
    .map((l) => l.split(' ')[0])
    .join(' ');

describe('mixing sys.stdout with console.log and process.stdout.write', () => {
  it('keeps the program order on a pipe whose reader is slow (the pipe fills)', () => {
    const src = MIXED.replaceAll('PIPEFORK', PIPEFORK);
    const r = runShell(`"${process.execPath}" --input-type=module -e "$SRC" 2>/dev/null | (sleep 0.5; cat)`, {
      env: { SRC: src },
    });
    expect([order(r.stdout), r.status]).toEqual([WANT, 0]);
  });

  it('keeps the program order on a file, stderr too', () => {
    const out = join(dir, 'mixed.txt');
    const err = join(dir, 'mixed.err');
    const src = MIXED.replaceAll('PIPEFORK', PIPEFORK);
    const r = runShell(`"${process.execPath}" --input-type=module -e "$SRC" > "${out}" 2> "${err}"`, {
      env: { SRC: src },
    });
    expect([order(readFileSync(out, 'utf8')), readFileSync(err, 'utf8'), r.status]).toEqual([WANT, 'e1 e2\ne3', 0]);
  });

  it('keeps the program order on a terminal', () => {
    const src = MIXED.replaceAll('PIPEFORK', PIPEFORK).replace("console.error('e2');", '');
    const [out, status] = terminal(['node', '--input-type=module', '-e', src]);
    expect([order(out.replace('e1 e3', '')), status]).toEqual([WANT, 0]);
  });
});

/** Runs argv under a new terminal (CPython's pty module): what the terminal got, and the exit status. */
function terminal(argv: string[]): [string, number] {
  const r = runPython(
    `import os, pty, sys, json
argv = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''
while True:
    try: d = os.read(fd, 65536)
    except OSError: break
    if not d: break
    out += d
_, st = os.waitpid(pid, 0)
print(json.dumps([out.decode('utf-8', 'replace'), os.waitstatus_to_exitcode(st)]))`,
    { args: [JSON.stringify(argv.map((a) => (a === 'node' ? process.execPath : a)))] },
  );
  return JSON.parse(r.stdout) as [string, number];
}
