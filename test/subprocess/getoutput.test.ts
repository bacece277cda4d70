// getoutput and getstatusoutput take only their options, as CPython.
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

/** `[python expression, JS function]` pairs run in both: [pipefork, CPython] outcomes. */
function both(cases: [string, () => unknown][], prelude = ''): [unknown[], unknown[]] {
  const { pipefork, python } = runCases(cases, `import subprocess\n${prelude}`);
  return [pipefork, python];
}

describe('getoutput and getstatusoutput take only their options', () => {
  it('a misspelt or extra argument is the TypeError CPython raises', () => {
    const [js, pyOut] = both([
      [
        "subprocess.getoutput('echo hi', encodin='utf-8')",
        () => loose(subprocess.getoutput)('echo hi', { encodin: 'utf-8' }),
      ],
      ["subprocess.getstatusoutput('echo hi', 'utf-8')", () => loose(subprocess.getstatusoutput)('echo hi', 'utf-8')],
      ['subprocess.getoutput()', () => loose(subprocess.getoutput)()],
      ["subprocess.getoutput(cmd='echo kw')", () => loose(subprocess.getoutput)({ cmd: 'echo kw' })],
      [
        "subprocess.getstatusoutput('printf x; exit 2', encoding='ascii', errors='strict')",
        () => subprocess.getstatusoutput('printf x; exit 2', { encoding: 'ascii', errors: 'strict' }),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect((js[0] as unknown[])[1]).toBe('TypeError');
    // options left undefined (a wrapper passing its own optional argument on) is no options.
    expect(loose(subprocess.getoutput)('echo hi', undefined)).toBe('hi');
    expect(loose(subprocess.getstatusoutput)('echo hi', undefined)).toEqual([0, 'hi']);
  });
});
