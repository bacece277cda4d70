// io.StringIO against CPython: the newline argument (translation when
// written, line endings when read), positions in code points, and every
// error CPython raises, with StringIO's own wording ('closed file', no dot).
import { describe, expect, it } from 'vitest';
import { io } from '../../lib/index.js';
import { loose, py } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

const TEXT = 'a\nb\r\nc\rd\n\re';

describe('io.StringIO', () => {
  for (const newline of [null, '', '\n', '\r', '\r\n']) {
    it(`newline=${JSON.stringify(newline)}: what is stored, the lines read back and newlines, as CPython`, () => {
      const s = new io.StringIO(TEXT, newline);
      const w = new io.StringIO({ newline });
      const { python, pipefork } = runCases(
        [
          ['s.getvalue()', () => s.getvalue()],
          ['s.tell()', () => s.tell()],
          ['s.readlines()', () => s.readlines()],
          ['s.newlines', () => s.newlines],
          ['s.seek(0)', () => s.seek(0)],
          ['[s.readline(2), s.readline(), s.readline(-1)]', () => [s.readline(2), s.readline(), s.readline(-1)]],
          ['list(s)', () => [...s]],
          ['w.newlines', () => w.newlines],
          ["w.write('x\\r')", () => w.write('x\r')],
          ["w.write('\\ny')", () => w.write('\ny')],
          ['w.getvalue()', () => w.getvalue()],
          ['w.newlines', () => w.newlines],
          ["w.write('\\r\\n')", () => w.write('\r\n')],
          ['w.newlines', () => w.newlines],
          ['w.seek(0)', () => w.seek(0)],
          ['w.read()', () => w.read()],
        ],
        `import io, json\nnl = ${py(newline)}\ns = io.StringIO(${py(TEXT)}, nl)\nw = io.StringIO(newline=nl)`,
      );
      expect(pipefork).toEqual(python);
    });
  }

  it('counts positions in characters (code points), as CPython', () => {
    const s = new io.StringIO('\u{1f600}a\u00e9\u{1f601}b');
    const { python, pipefork } = runCases(
      [
        ['s.read(1)', () => s.read(1)],
        ['s.tell()', () => s.tell()],
        ['s.read(2)', () => s.read(2)],
        ['s.seek(3)', () => s.seek(3)],
        ["s.write('\\U0001f602Z')", () => s.write('\u{1f602}Z')],
        ['s.getvalue()', () => s.getvalue()],
        ['s.tell()', () => s.tell()],
        ['s.seek(0, 2)', () => s.seek(0, 2)],
        ['s.truncate(2)', () => s.truncate(2)],
        ['s.getvalue()', () => s.getvalue()],
        ['s.tell()', () => s.tell()],
        ["s.write('!')", () => s.write('!')],
        ['s.getvalue()', () => s.getvalue()],
        ['s.seek(1)', () => s.seek(1)],
        ['s.readline(1)', () => s.readline(1)],
      ],
      "import io\ns = io.StringIO('\\U0001f600a\\u00e9\\U0001f601b')",
    );
    expect(pipefork).toEqual(python);
  });

  it('writes past the end with NULs, keeps the position on truncate, as CPython', () => {
    const s = new io.StringIO();
    const { python, pipefork } = runCases(
      [
        ['s.seek(3)', () => s.seek(3)],
        ["s.write('x')", () => s.write('x')],
        ['s.getvalue()', () => s.getvalue()],
        ['s.truncate(2)', () => s.truncate(2)],
        ['s.tell()', () => s.tell()],
        ["s.write('y')", () => s.write('y')],
        ['s.getvalue()', () => s.getvalue()],
        ['s.truncate()', () => s.truncate()],
        ['s.truncate(100)', () => s.truncate(100)],
        ['s.seek(0, 1)', () => s.seek(0, 1)],
        ["s.write('')", () => s.write('')],
        ["s.writelines(['1', '2'])", () => s.writelines(['1', '2'])],
        ['s.getvalue()', () => s.getvalue()],
        ['io.StringIO(None).getvalue()', () => new io.StringIO(null).getvalue()],
        ["io.StringIO(initial_value='kw').read()", () => new io.StringIO({ initial_value: 'kw' }).read()],
      ],
      'import io\ns = io.StringIO()',
    );
    expect(pipefork).toEqual(python);
  });

  it("refuses bad arguments with CPython's errors and wording", () => {
    const s = new io.StringIO('hello\nworld\n');
    const c = new io.StringIO('x');
    c.close();
    const { python, pipefork } = runCases(
      [
        ['s.seek(-1)', () => s.seek(-1)],
        ['s.seek(0, 3)', () => s.seek(0, 3)],
        ['s.seek(1, 1)', () => s.seek(1, 1)],
        ['s.seek(-1, 2)', () => s.seek(-1, 2)],
        ['s.seek(1.5)', () => s.seek(1.5)],
        ['s.truncate(-1)', () => s.truncate(-1)],
        ["s.truncate('x')", () => loose(s.truncate).call(s, 'x')],
        ['s.read(1.5)', () => s.read(1.5)],
        ['s.readline(None)', () => s.readline(null)],
        ["s.write(b'str')", () => s.write(Buffer.from('str') as never)],
        ['s.write(None)', () => s.write(null as never)],
        ['s.write(5)', () => s.write(5 as never)],
        ["io.StringIO(b'str')", () => new io.StringIO(Buffer.from('str') as never)],
        ['io.StringIO(5)', () => new io.StringIO(5 as never)],
        ["io.StringIO('x', 'bad')", () => new io.StringIO('x', 'bad')],
        ["io.StringIO('x', 5)", () => new io.StringIO('x', 5 as never)],
        [
          "io.StringIO('a', '\\n', 3)",
          () => new (io.StringIO as unknown as new (...a: unknown[]) => unknown)('a', '\n', 3),
        ],
        [
          '[s.encoding, s.errors, s.line_buffering, s.closed]',
          () => [s.encoding, s.errors, s.line_buffering, s.closed],
        ],
        [
          '[s.readable(), s.writable(), s.seekable(), s.isatty()]',
          () => [s.readable(), s.writable(), s.seekable(), s.isatty()],
        ],
        ['s.fileno()', () => s.fileno()],
        ['s.detach()', () => s.detach()],
        ['c.read()', () => c.read()],
        ['c.readline()', () => c.readline()],
        ['c.readlines()', () => c.readlines()],
        ["c.write('x')", () => c.write('x')],
        ['c.seek(0)', () => c.seek(0)],
        ['c.tell()', () => c.tell()],
        ['c.truncate()', () => c.truncate()],
        ['c.getvalue()', () => c.getvalue()],
        ['c.readable()', () => c.readable()],
        ['c.isatty()', () => c.isatty()],
        ['c.flush()', () => c.flush()],
        ['c.line_buffering', () => c.line_buffering],
        ['c.newlines', () => c.newlines],
        ['[c.encoding, c.errors, c.closed]', () => [c.encoding, c.errors, c.closed]],
        ['next(c)', () => c[Symbol.iterator]().next()],
        ['c.writelines([])', () => c.writelines([])],
        ['c.close()', () => c.close()],
      ],
      "import io\ns = io.StringIO('hello\\nworld\\n')\nc = io.StringIO('x'); c.close()",
    );
    expect(pipefork).toEqual(python);
  });

  it('is a TextIOBase; print() and using work on it', () => {
    let got = '';
    {
      using s = new io.StringIO();
      expect([s instanceof io.TextIOBase, s instanceof io.IOBase, s instanceof io.TextIOWrapper]).toEqual([
        true,
        true,
        false,
      ]);
      s.write('a');
      got = s.getvalue();
      expect(s.closed).toBe(false);
    }
    expect(got).toBe('a');
  });
});
