// Popen user, group and extra_groups: CPython's checks and errors.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

describe('Popen user, group, extra_groups', () => {
  /** [uid, gid, ...groups sorted] as the child sees them. */
  const ids = (options: subprocess.CheckOutputOptions) => {
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
          () => new subprocess.Popen(['true'], { [k]: jsValue } as subprocess.PopenOptions).wait(),
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
          `import { subprocess } from ${JSON.stringify(fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url)))};
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
