// Lone surrogates in paths, argv and env (convert.fsencode): a str goes to
// the system as os.fsencode makes it, UTF-8 with surrogateescape. U+DC80..
// U+DCFF carry the bytes 0x80..0xff, as os.fsdecode made them; any other lone
// surrogate is CPython's UnicodeEncodeError, where the addon used to write
// U+FFFD (so os.open('\ud800') and os.open('\udfff') opened the same file).
// Each case runs in python3 too.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { io, os, subprocess, UnicodeEncodeError } from '../../lib/index.js';
import { runCases } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-fsencode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (name: string) => join(dir, name);
const names = () =>
  readdirSync(dir, { encoding: 'buffer' })
    .map((b) => b.toString('hex'))
    .sort();
const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));

describe('paths with lone surrogates', () => {
  it("raise CPython's UnicodeEncodeError everywhere a path is taken", () => {
    const p = `os.path.join(${JSON.stringify(dir)}, '\\ud800x')`;
    const jp = at('\ud800x');
    const { python, pipefork } = runCases(
      [
        [`os.open(${p}, os.O_CREAT | os.O_WRONLY)`, () => os.open(jp, os.O_CREAT | os.O_WRONLY)],
        [
          `os.open(${p}.replace('\\ud800', '\\udfff'), os.O_CREAT | os.O_WRONLY)`,
          () => os.open(at('\udfffx'), os.O_CREAT | os.O_WRONLY),
        ],
        [`os.open('a\\udcff\\ud800b', 'not flags')`, () => os.open('a\udcff\ud800b', 'not flags' as never)],
        [`os.mkfifo(${p})`, () => os.mkfifo(jp)],
        [`os.unlink(${p})`, () => os.unlink(jp)],
        [`os.remove(${p})`, () => os.remove(jp)],
        [`os.chdir(${p})`, () => os.chdir(jp)],
        [`io.FileIO(${p}, 'w')`, () => io.FileIO(jp, 'w')],
        [`io.open(${p}, 'w')`, () => io.open(jp, 'w')],
        [`open(${p}, 'rb')`, () => io.open(jp, 'rb')],
        ["os.open('\\ud800\\ud801', 0)", () => os.open('\ud800\ud801', 0)],
      ],
      'import io, os',
    );
    expect(pipefork).toEqual(python);
    expect(python[0]).toEqual([
      'raise',
      'UnicodeEncodeError',
      `'utf-8' codec can't encode character '\\ud800' in position ${dir.length + 1}: surrogates not allowed`,
      null,
    ]);
    expect(names()).toEqual([]);
  });

  it('U+DC80..U+DCFF open, make and remove the file named by those bytes', () => {
    const fd = os.open(at('\udcff'), os.O_CREAT | os.O_WRONLY);
    os.close(fd);
    os.mkfifo(at('a\udcfe'));
    const f = io.FileIO(at('\udcfd\udcfc'), 'w');
    expect(f.name).toBe(at('\udcfd\udcfc'));
    f.close();
    expect(names()).toEqual(['61fe', 'fdfc', 'ff']);
    {
      using again = io.open(at('\udcff'), 'rb');
      expect(again.read()).toEqual(Buffer.alloc(0));
    }
    os.unlink(at('\udcff'));
    os.remove(Buffer.concat([Buffer.from(at('a')), Buffer.from([0xfe])]));
    os.unlink(at('\udcfd\udcfc'));
    expect(names()).toEqual([]);
  });

  it('a NUL in a bytes path is worded by the converter, as in CPython', () => {
    const { python, pipefork } = runCases(
      [
        ["os.open(b'a\\0b', 0)", () => os.open(Buffer.from('a\0b'), 0)],
        ["os.mkfifo(b'a\\0b')", () => os.mkfifo(Buffer.from('a\0b'))],
        ["os.unlink(b'a\\0b')", () => os.unlink(Buffer.from('a\0b'))],
        ["os.chdir(b'a\\0b')", () => os.chdir(Buffer.from('a\0b'))],
        ["io.open(b'a\\0b')", () => io.open(Buffer.from('a\0b'))],
        ["io.FileIO(b'a\\0b')", () => io.FileIO(Buffer.from('a\0b'))],
        ["os.open('a\\0b', 0)", () => os.open('a\0b', 0)],
      ],
      'import io, os',
    );
    expect(pipefork).toEqual(python);
  });
});

describe('argv and env with lone surrogates', () => {
  it('reach the child as the bytes CPython passes (surrogateescape)', () => {
    const script = `
import subprocess, json
out = [subprocess.run(['printf', '%s|', '\\udcff', 'x\\udc80y'], capture_output=True).stdout.hex(),
       subprocess.run(['sh', '-c', 'printf %s "$X"'], env={'X': 'a\\udcffb'}, capture_output=True).stdout.hex(),
       subprocess.run(['sh', '-c', 'env | grep "^K" | cut -c1-3'], env={'K\\udcfe': '1'}, capture_output=True).stdout.hex()]
print(json.dumps(out))`;
    const py = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    const ours = [
      subprocess.run(['printf', '%s|', '\udcff', 'x\udc80y'], { capture_output: true }).stdout?.toString('hex'),
      subprocess
        .run(['sh', '-c', 'printf %s "$X"'], { env: { X: 'a\udcffb' }, capture_output: true })
        .stdout?.toString('hex'),
      subprocess
        .run(['sh', '-c', 'env | grep "^K" | cut -c1-3'], { env: { 'K\udcfe': '1' }, capture_output: true })
        .stdout?.toString('hex'),
    ];
    expect(ours).toEqual(JSON.parse(py.stdout));
    expect(ours[0]).toBe(Buffer.from('\xff|x\x80y|', 'latin1').toString('hex'));
  });

  it("anything else is CPython's UnicodeEncodeError, before a child exists", () => {
    const { python, pipefork } = runCases(
      [
        ["subprocess.Popen(['printf', '\\ud800'])", () => subprocess.Popen(['printf', '\ud800'])],
        ["subprocess.Popen(['true'], cwd='\\ud800')", () => subprocess.Popen(['true'], { cwd: '\ud800' })],
        [
          "subprocess.Popen(['true'], executable='\\ud800')",
          () => subprocess.Popen(['true'], { executable: '\ud800' }),
        ],
        ["subprocess.Popen('\\ud800')", () => subprocess.Popen('\ud800')],
        [
          "subprocess.Popen(['true'], env={'X': 'a\\ud800'})",
          () => subprocess.Popen(['true'], { env: { X: 'a\ud800' } }),
        ],
        [
          "subprocess.Popen(['true'], env={'\\udfff': '1'})",
          () => subprocess.Popen(['true'], { env: { '\udfff': '1' } }),
        ],
        ["os.execv('/bin/\\ud800', ['x'])", () => os.execv('/bin/\ud800', ['x'])],
        ["os.execv('/bin/true', ['\\ud800'])", () => os.execv('/bin/true', ['\ud800'])],
        ["os.execve('/bin/true', ['x'], {'\\ud800': '1'})", () => os.execve('/bin/true', ['x'], { '\ud800': '1' })],
        ["os.execvp('\\ud800', ['x'])", () => os.execvp('\ud800', ['x'])],
        [
          "os.execvpe('true', ['x'], {'PATH': '/bin', 'X': '\\ud800'})",
          () => os.execvpe('true', ['x'], { PATH: '/bin', X: '\ud800' }),
        ],
      ],
      'import os, subprocess',
    );
    expect(pipefork).toEqual(python);
    expect(pipefork.every((o) => (o as unknown[])[1] === 'UnicodeEncodeError')).toBe(true);
  });

  it('os.execv passes U+DCxx as its byte (in a throwaway node child)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { os } from ${JSON.stringify(dist)};\nos.execv('/usr/bin/printf', ['printf', '%s', 'a\\udcffb']);`,
      ],
      { timeout: 10_000 },
    );
    expect(r.stdout).toEqual(Buffer.from('a\xffb', 'latin1'));
  });

  it('the error carries what CPython puts in it', () => {
    try {
      // \udfff\ud800 (low, then high): not a pair, two lone surrogates.
      os.open('ab\udcff\udfff\ud800c', 0);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnicodeEncodeError);
      const u = e as UnicodeEncodeError;
      expect([u.encoding, u.object, u.start, u.end, u.reason]).toEqual([
        'utf-8',
        'ab\udcff\udfff\ud800c',
        3,
        5,
        'surrogates not allowed',
      ]);
    }
  });
});
