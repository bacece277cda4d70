// Popen's PATH search with bytes PATH keys and entries, as CPython's.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { os, subprocess } from '../../lib/index.js';
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

describe('Popen PATH search: bytes PATH keys and entries', () => {
  it('honours b"PATH" in a Map and refuses both spellings', () => {
    const bPath = Buffer.from('PATH');
    expect(os.get_exec_path(new Map([[bPath, Buffer.from('/x:/y')]]))).toEqual(['/x', '/y']);
    expect(os.get_exec_path(new Map([[Buffer.from('PATH'), '/a']]))).toEqual(['/a']);
    const [js, pyOut] = both([
      [
        "os.get_exec_path({'PATH': '/a', b'PATH': b'/b'})",
        () =>
          os.get_exec_path(
            new Map<unknown, unknown>([
              ['PATH', '/a'],
              [bPath, Buffer.from('/b')],
            ]),
          ),
      ],
      [
        "os.get_exec_path({'PATH': None, b'PATH': b'/b:'})",
        () =>
          os.get_exec_path(
            new Map<unknown, unknown>([
              ['PATH', null],
              [bPath, Buffer.from('/b:')],
            ]),
          ),
      ],
      ["os.get_exec_path({b'PATH': None})", () => os.get_exec_path(new Map<unknown, unknown>([[bPath, null]]))],
      ["os.get_exec_path({'PATH': 5})", () => os.get_exec_path({ PATH: 5 })],
      [
        "subprocess.check_output(['true'], env={b'PATH': b'/nonexistent'})",
        () => subprocess.check_output(['true'], { env: new Map([[bPath, Buffer.from('/nonexistent')]]) }),
      ],
      [
        "subprocess.check_output(['true'], env={'PATH': '/usr/bin', b'PATH': '/bin'})",
        () =>
          subprocess.check_output(['true'], {
            env: new Map<string | Uint8Array, string>([
              ['PATH', '/usr/bin'],
              [bPath, '/bin'],
            ]),
          }),
      ],
    ]);
    expect(js).toEqual(pyOut);
  });

  it('a bytes PATH entry that is not UTF-8 is searched as those bytes', () => {
    const dir = Buffer.concat([Buffer.from(`${tmp}/bin`), Buffer.from([0xff])]);
    mkdirSync(dir);
    symlinkSync('/bin/echo', Buffer.concat([dir, Buffer.from('/pf-echo')]));
    const pyEnv = `{b'PATH': ${py(tmp)}.encode() + b'/bin\\xff'}`;
    const [js, pyOut] = both([
      [
        `subprocess.check_output(['pf-echo', 'hi'], env=${pyEnv})`,
        () => subprocess.check_output(['pf-echo', 'hi'], { env: new Map([[Buffer.from('PATH'), dir]]) }),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['ok', [...Buffer.from('hi\n')]]);
  });
});
