// subprocess.list2cmdline: the MS C runtime's quoting, as CPython keeps it
// on every platform. Each case runs in python3 too.
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

describe('subprocess.list2cmdline', () => {
  it('quotes and escapes as CPython, and refuses what it refuses', () => {
    const seqs: unknown[][] = [
      ['a b', 'c'],
      ['a"b'],
      ['a\\\\b', 'c\\'],
      [''],
      ['ab\\\\"c', 'd e\\\\'],
      ['x\ty'],
      ['"', '\\"', '\\', ' '],
      ['no', 'quotes', 'needed'],
      [],
      ['trailing\\', 'spaced \\\\'],
    ];
    const cases: [string, () => unknown][] = seqs.map((seq) => [
      `subprocess.list2cmdline(${JSON.stringify(seq)})`,
      () => subprocess.list2cmdline(seq as string[]),
    ]);
    cases.push(
      ["subprocess.list2cmdline([b'\\xff', 'z'])", () => subprocess.list2cmdline([Buffer.from([0xff]), 'z'])],
      ["subprocess.list2cmdline('ab')", () => subprocess.list2cmdline('ab')],
      ['subprocess.list2cmdline(5)', () => loose(subprocess.list2cmdline)(5)],
      ['subprocess.list2cmdline([5])', () => loose(subprocess.list2cmdline)([5])],
      ['subprocess.list2cmdline([None])', () => loose(subprocess.list2cmdline)([null])],
      ['subprocess.list2cmdline()', () => loose(subprocess.list2cmdline)()],
      ["subprocess.list2cmdline(seq=['a b'])", () => loose(subprocess.list2cmdline)({ seq: ['a b'] })],
    );
    const { python, pipefork } = runCases(cases, 'import subprocess');
    expect(pipefork).toEqual(python);
  });
});
