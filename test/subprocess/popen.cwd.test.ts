// Popen cwd as bytes: a path need not be UTF-8, as in CPython.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OSError, subprocess } from '../../lib/index.js';
import { py } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

/** `[python expression, JS function]` pairs run in both: [pipefork, CPython] outcomes. */
function both(cases: [string, () => unknown][], prelude = ''): [unknown[], unknown[]] {
  const { pipefork, python } = runCases(cases, `import subprocess\n${prelude}`);
  return [pipefork, python];
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pf-sp-review-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('Popen cwd as bytes is not decoded', () => {
  it('a directory whose name is not UTF-8 is the child cwd, as in CPython', () => {
    const dir = Buffer.concat([Buffer.from(`${tmp}/d`), Buffer.from([0xff, 0xfe])]);
    mkdirSync(dir);
    const code = `subprocess.check_output(['pwd'], cwd=${py(tmp)}.encode() + b'/d\\xff\\xfe')`;
    const [js, pyOut] = both([
      [code, () => subprocess.check_output(['pwd'], { cwd: dir })],
      // A relative one, and a program found relative to it.
      [
        `subprocess.check_output(['pwd'], cwd=os.path.relpath(${py(tmp)}).encode() + b'/d\\xff\\xfe')`,
        () =>
          subprocess.check_output(['pwd'], {
            cwd: Buffer.concat([Buffer.from(`${relative(process.cwd(), tmp)}/d`), Buffer.from([0xff, 0xfe])]),
          }),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['ok', [...dir, 0x0a]]);
    expect(js[1]).toEqual(js[0]);
  });

  it('a missing or non-directory bytes cwd: the error names the bytes', () => {
    writeFileSync(join(tmp, 'plain'), '');
    const fileCase = Buffer.concat([Buffer.from(tmp), Buffer.from('/plain/x'), Buffer.from([0xff])]);
    const [js, pyOut] = both([
      [
        "subprocess.run(['true'], cwd=b'/nonexist\\xff')",
        () => subprocess.run(['true'], { cwd: Buffer.from('/nonexist\xff', 'latin1') }),
      ],
      [
        `subprocess.run(['true'], cwd=${py(tmp)}.encode() + b'/plain/x\\xff')`,
        () => subprocess.run(['true'], { cwd: fileCase }),
      ],
      ["subprocess.run(['true'], cwd=b'/nonexist')", () => subprocess.run(['true'], { cwd: Buffer.from('/nonexist') })],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['raise', 'FileNotFoundError', "[Errno 2] No such file or directory: b'/nonexist\\xff'", 2]);
    try {
      subprocess.run(['true'], { cwd: Buffer.from('/nonexist\xff', 'latin1') });
      expect.unreachable();
    } catch (e) {
      expect((e as OSError).filename).toEqual(Buffer.from('/nonexist\xff', 'latin1'));
    }
  });
});
