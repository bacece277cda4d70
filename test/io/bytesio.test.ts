// io.BytesIO against CPython: the same steps on both, every result and
// error compared (CPython's Lib/test/test_memoryio.py is the list of cases).
import { describe, expect, it } from 'vitest';
import { BufferError, io } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

const B = (s: string) => Buffer.from(s, 'latin1');

describe('io.BytesIO', () => {
  it('reads as CPython: read, read1, readline, readlines, readinto, iteration', () => {
    const b = new io.BytesIO(B('a\nbb\nccc\ndddd\n'));
    const ba = new Uint8Array(4);
    const { python, pipefork } = runCases(
      [
        ['b.read(0)', () => b.read(0)],
        ['b.read(1)', () => b.read(1)],
        ['b.readline()', () => b.readline()],
        ['b.readline(0)', () => b.readline(0)],
        ['b.readline(2)', () => b.readline(2)],
        ['b.readline(-5)', () => b.readline(-5)],
        ['b.read1(2)', () => b.read1(2)],
        ['b.tell()', () => b.tell()],
        ['b.read1()', () => b.read1()],
        ['b.read()', () => b.read()],
        ['b.seek(0)', () => b.seek(0)],
        ['[list(x) for x in b.readlines(1)]', () => b.readlines(1).map((x) => [...x])],
        ['b.seek(0)', () => b.seek(0)],
        ['[list(x) for x in b.readlines(3)]', () => b.readlines(3).map((x) => [...x])],
        ['b.seek(0)', () => b.seek(0)],
        ['[list(x) for x in b.readlines(None)]', () => b.readlines(null).map((x) => [...x])],
        ['b.seek(2)', () => b.seek(2)],
        ['b.readinto(ba)', () => b.readinto(ba)],
        ['list(ba)', () => [...ba]],
        ['[list(x) for x in b]', () => [...b].map((x) => [...x])],
        ['b.readinto(ba)', () => b.readinto(ba)],
        ['b.seek(100)', () => b.seek(100)],
        ['b.read()', () => b.read()],
        ['b.readline()', () => b.readline()],
        ['b.tell()', () => b.tell()],
      ],
      "import io\nb = io.BytesIO(b'a\\nbb\\nccc\\ndddd\\n')\nba = bytearray(4)",
    );
    // bytes in the outcomes are lists of byte values on both sides (PY_OUTCOME, outcome).
    expect(pipefork).toEqual(python);
  });

  it('writes as CPython: past the end fills zeros, truncate keeps the position, any bytes-like', () => {
    const b = new io.BytesIO();
    const { python, pipefork } = runCases(
      [
        ["b.write(b'')", () => b.write(B(''))],
        ['b.seek(5)', () => b.seek(5)],
        ["b.write(b'x')", () => b.write(B('x'))],
        ['b.getvalue()', () => b.getvalue()],
        ['b.truncate(3)', () => b.truncate(3)],
        ['b.tell()', () => b.tell()],
        ['b.getvalue()', () => b.getvalue()],
        ["b.write(b'y')", () => b.write(B('y'))],
        ['b.getvalue()', () => b.getvalue()],
        ['b.truncate()', () => b.truncate()],
        ['b.truncate(10)', () => b.truncate(10)],
        ['b.getvalue()', () => b.getvalue()],
        ['b.seek(1)', () => b.seek(1)],
        ["b.write(memoryview(b'AB'))", () => b.write(B('AB'))],
        ["b.write(array.array('H', [0x6261]))", () => b.write(new Uint16Array([0x6261]))],
        ["b.write(bytearray(b'Z'))", () => b.write(new Uint8Array([0x5a]))],
        ['b.getvalue()', () => b.getvalue()],
        ['b.seek(-2, 2)', () => b.seek(-2, 2)],
        ['b.seek(-100, 1)', () => b.seek(-100, 1)],
        ['b.seek(3, 1)', () => b.seek(3, 1)],
        ["b.writelines([b'1', b'22'])", () => b.writelines([B('1'), B('22')])],
        ['b.getvalue()', () => b.getvalue()],
        ["io.BytesIO(initial_bytes=b'kw').read()", () => new io.BytesIO({ initial_bytes: B('kw') }).read()],
        ['io.BytesIO(None).getvalue()', () => new io.BytesIO(null).getvalue()],
        ["io.BytesIO(b'ab').getvalue()", () => new io.BytesIO(B('ab')).getvalue()],
      ],
      'import io, array\nb = io.BytesIO()',
    );
    expect(pipefork).toEqual(python);
  });

  it("refuses bad arguments with CPython's errors, conversions before the closed check", () => {
    const b = new io.BytesIO(B('hello'));
    const c = new io.BytesIO(B('x'));
    c.close();
    const { python, pipefork } = runCases(
      [
        ['b.seek(-1)', () => b.seek(-1)],
        ['b.seek(0, 3)', () => b.seek(0, 3)],
        ['b.seek(1.5)', () => b.seek(1.5)],
        ['b.seek()', () => loose(b.seek).call(b)],
        ['b.truncate(-1)', () => b.truncate(-1)],
        ["b.truncate('x')", () => loose(b.truncate).call(b, 'x')],
        ["b.read('x')", () => loose(b.read).call(b, 'x')],
        ['b.read(1.5)', () => b.read(1.5)],
        ["b.write('str')", () => b.write('str' as never)],
        ['b.write(None)', () => b.write(null as never)],
        ['b.write(5)', () => b.write(5 as never)],
        ["b.readinto('abc')", () => b.readinto('abc' as never)],
        ["io.BytesIO('str')", () => new io.BytesIO('str' as never)],
        ['io.BytesIO(5)', () => new io.BytesIO(5 as never)],
        [
          "io.BytesIO(b'a', b'b')",
          () => new (io.BytesIO as unknown as new (...a: unknown[]) => unknown)(B('a'), B('b')),
        ],
        ['c.seek(1.5)', () => c.seek(1.5)],
        ['c.read()', () => c.read()],
        ['c.read1()', () => c.read1()],
        ['c.readline()', () => c.readline()],
        ['c.readlines()', () => c.readlines()],
        ["c.write(b'x')", () => c.write(B('x'))],
        ["c.write('x')", () => c.write('x' as never)],
        ['c.seek(0)', () => c.seek(0)],
        ['c.tell()', () => c.tell()],
        ['c.truncate()', () => c.truncate()],
        ['c.getvalue()', () => c.getvalue()],
        ['c.getbuffer()', () => c.getbuffer()],
        ['c.readable()', () => c.readable()],
        ['c.writable()', () => c.writable()],
        ['c.seekable()', () => c.seekable()],
        ['c.isatty()', () => c.isatty()],
        ['c.flush()', () => c.flush()],
        ['c.fileno()', () => c.fileno()],
        ['c.readinto(bytearray(1))', () => c.readinto(new Uint8Array(1))],
        ['c.detach()', () => c.detach()],
        ['c.close()', () => c.close()],
        ['next(iter(c))', () => c[Symbol.iterator]().next()],
        ['c.writelines([])', () => c.writelines([])],
        ['c.closed', () => c.closed],
        [
          '[b.readable(), b.writable(), b.seekable(), b.isatty()]',
          () => [b.readable(), b.writable(), b.seekable(), b.isatty()],
        ],
        ['b.fileno()', () => b.fileno()],
      ],
      "import io\nb = io.BytesIO(b'hello')\nc = io.BytesIO(b'x'); c.close()",
    );
    expect(pipefork).toEqual(python);
  });

  it('getbuffer() shares the bytes and forbids resizing until released, as CPython', () => {
    const b = new io.BytesIO(B('abc'));
    const v = b.getbuffer();
    const { python, pipefork } = runCases(
      [
        ["v.__setitem__(slice(0, 1), b'X')", () => v.set(B('X'), 0)],
        ['b.getvalue()', () => b.getvalue()],
        ['len(v)', () => v.length],
        ["b.write(b'x')", () => b.write(B('x'))],
        ['b.truncate(0)', () => b.truncate(0)],
        ['b.close()', () => b.close()],
        ['b.seek(10)', () => b.seek(10)],
        ['b.read()', () => b.read()],
        ['v.release()', () => v.release()],
        ['v.release()', () => v.release()],
        ["b.write(b'1')", () => b.write(B('1'))],
        ['b.getvalue()', () => b.getvalue()],
        ['b.close()', () => b.close()],
      ],
      "import io\nb = io.BytesIO(b'abc')\nv = b.getbuffer()",
    );
    expect(pipefork).toEqual(python);
    const c = new io.BytesIO(B('x'));
    {
      using _view = c.getbuffer();
      expect(() => c.write(B('y'))).toThrow(BufferError);
    }
    expect(c.write(B('y'))).toBe(1);
  });

  it('is a BufferedIOBase, and a TextIOWrapper reads and writes through it', () => {
    const b = new io.BytesIO(B('l1\r\nl2\n'));
    expect([b instanceof io.BufferedIOBase, b instanceof io.IOBase, b instanceof io.RawIOBase]).toEqual([
      true,
      true,
      false,
    ]);
    const t = new io.TextIOWrapper(b, 'utf-8');
    const { python, pipefork } = runCases(
      [
        ['t.readline()', () => t.readline()],
        ['t.readline()', () => t.readline()],
        ["t.write('w')", () => t.write('w')],
        ['t.flush()', () => t.flush()],
        ['b.getvalue()', () => b.getvalue()],
      ],
      "import io\nb = io.BytesIO(b'l1\\r\\nl2\\n')\nt = io.TextIOWrapper(b, 'utf-8')",
    );
    expect(pipefork).toEqual(python);
  });
});
