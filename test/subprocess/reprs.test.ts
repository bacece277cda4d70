// subprocess's reprs and messages show str and bytes as Python's repr() does.
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';
import { py } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

/** `[python expression, JS function]` pairs run in both: [pipefork, CPython] outcomes. */
function both(cases: [string, () => unknown][], prelude = ''): [unknown[], unknown[]] {
  const { pipefork, python } = runCases(cases, `import subprocess\n${prelude}`);
  return [pipefork, python];
}

describe("subprocess reprs of str and bytes are Python's", () => {
  const strs = [
    '\xa0\u200b\x85\u2028 \x7f\xad\u{1f600}\ue000',
    "'",
    '"\'',
    'é\t\n\r\x1b\\',
    '\ud800',
    '\u0378',
    'plain',
  ];
  const bytes = [
    Buffer.from([0x00, 0x27, 0x22, 0x5c]),
    Buffer.from("'"),
    Buffer.from('"\''),
    Buffer.from([0xff, 0x80, 0x20, 0x7e, 0x7f, 0x09, 0x0a, 0x0d]),
    Buffer.from([0xc3, 0xa9]),
  ];
  const pyBytes = (b: Buffer) => `bytes(${py([...b])})`;

  it('in CalledProcessError and TimeoutExpired messages', () => {
    const [js, pyOut] = both([
      [`str(subprocess.CalledProcessError(1, ${py(strs)}))`, () => new subprocess.CalledProcessError(1, strs).message],
      [
        `str(subprocess.CalledProcessError(1, [${bytes.map(pyBytes).join(', ')}]))`,
        () => new subprocess.CalledProcessError(1, bytes).message,
      ],
      [
        `str(subprocess.CalledProcessError(1, ${pyBytes(bytes[3] as Buffer)}))`,
        () => new subprocess.CalledProcessError(1, bytes[3]).message,
      ],
      [
        `str(subprocess.TimeoutExpired(['a', b'\\xe9', None, True, 1.5], 1))`,
        () => new subprocess.TimeoutExpired(['a', Buffer.from([0xe9]), null, true, 1.5], 1).message,
      ],
    ]);
    expect(js).toEqual(pyOut);
  });

  it('in CompletedProcess and Popen reprs', () => {
    const [js, pyOut] = both([
      [
        "repr(subprocess.run(['printf', '\\\\303\\\\251\\\\047'], capture_output=True))",
        () => String(subprocess.run(['printf', '\\303\\251\\047'], { capture_output: true })),
      ],
      [
        "repr(subprocess.run(['printf', '\\\\302\\\\240'], capture_output=True, text=True))",
        () => String(subprocess.run(['printf', '\\302\\240'], { capture_output: true, text: true })),
      ],
      [
        `repr(subprocess.CompletedProcess(${py(strs)}, 0, ${pyBytes(bytes[4] as Buffer)}, '\\u200b'))`,
        () => String(new subprocess.CompletedProcess<Buffer | string>(strs, 0, bytes[4], '\u200b')),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual([
      'ok',
      "CompletedProcess(args=['printf', '\\\\303\\\\251\\\\047'], returncode=0, stdout=b\"\\xc3\\xa9'\", stderr=b'')",
    ]);
  });

  it('in OSError filenames', () => {
    const [js, pyOut] = both([
      ["subprocess.run([b'/nonexist/\\xff'])", () => subprocess.run([Buffer.from('/nonexist/\xff', 'latin1')])],
      ["subprocess.run(['/nonexist/\\xa0\\u200b'])", () => subprocess.run(['/nonexist/\xa0\u200b'])],
    ]);
    expect(js).toEqual(pyOut);
  });
});
