// os.lseek and the io seek/tell built on it, against CPython on the same file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { runBoth } from '../helpers/scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'pipefork-seek-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('os.lseek', () => {
  it('moves the offset of a file, and a pipe says ESPIPE, as CPython', () => {
    const jsFile = join(dir, 'js.bin');
    const pyFile = join(dir, 'py.bin');
    writeFileSync(jsFile, '0123456789');
    writeFileSync(pyFile, '0123456789');
    let f = -1;
    let r = -1;
    let w = -1;
    const { python, pipefork } = runBoth(
      [
        {
          pySetup: 'f = os.open(path, os.O_RDWR)',
          py: 'os.lseek(f, 4, os.SEEK_SET)',
          js: () => {
            f = os.open(jsFile, os.O_RDWR);
            return os.lseek(f, 4, os.SEEK_SET);
          },
        },
        { py: 'os.read(f, 2)', js: () => os.read(f, 2) },
        { py: 'os.lseek(f, 0, os.SEEK_CUR)', js: () => os.lseek(f, 0, os.SEEK_CUR) },
        { py: 'os.lseek(f, -3, os.SEEK_END)', js: () => os.lseek(f, -3, os.SEEK_END) },
        { py: 'os.read(f, 10)', js: () => os.read(f, 10) },
        { py: 'os.lseek(f, -1, os.SEEK_SET)', js: () => os.lseek(f, -1, os.SEEK_SET) },
        { py: 'os.lseek(f, 0, 99)', js: () => os.lseek(f, 0, 99) },
        { py: '[os.SEEK_SET, os.SEEK_CUR, os.SEEK_END]', js: () => [os.SEEK_SET, os.SEEK_CUR, os.SEEK_END] },
        {
          pySetup: 'r, w = os.pipe()',
          py: 'os.lseek(r, 0, os.SEEK_CUR)',
          js: () => {
            [r, w] = os.pipe();
            return os.lseek(r, 0, os.SEEK_CUR);
          },
        },
        {
          pySetup: 'os.close(r); os.close(w); os.close(f)',
          py: 'os.lseek(f, 0, os.SEEK_SET)',
          js: () => (os.close(r), os.close(w), os.close(f), os.lseek(f, 0, os.SEEK_SET)),
        },
      ],
      `path = ${JSON.stringify(pyFile)}`,
    );
    expect(pipefork).toEqual(python);
  });

  it('io: tell/seek on a file and BufferedRandom writing after a read, as CPython', () => {
    const jsFile = join(dir, 'js2.bin');
    const pyFile = join(dir, 'py2.bin');
    writeFileSync(jsFile, 'abcdefghij');
    writeFileSync(pyFile, 'abcdefghij');
    let f: io.BufferedRandom | undefined;
    const { python, pipefork } = runBoth(
      [
        {
          pySetup: 'f = open(path, "r+b")',
          py: '[type(f).__name__, list(f.read(2)), f.tell()]',
          js: () => {
            f = io.open(jsFile, 'r+b') as io.BufferedRandom;
            return [f.constructor.name, [...(f.read(2) as Buffer)], f.tell()];
          },
        },
        { py: 'f.write(b"XY")', js: () => f?.write(Buffer.from('XY')) },
        { py: 'f.tell()', js: () => f?.tell() },
        { py: 'f.seek(0)', js: () => f?.seek(0) },
        { py: 'f.read()', js: () => f?.read() },
        {
          pySetup: 'f.close()',
          py: 'open(path, "rb").read()',
          js: () => (f?.close(), readFileSync(jsFile)),
        },
      ],
      `path = ${JSON.stringify(pyFile)}`,
    );
    expect(pipefork).toEqual(python);
  });
});
