// The OSError family: subclass by errno, fields and str() as CPython's.

import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionError,
  FileNotFoundError,
  IndexError,
  LookupError,
  OSError,
  os,
  SystemError,
  UnicodeDecodeError,
  UnicodeEncodeError,
  UnicodeError,
  UnsupportedOperation,
  ValueError,
} from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';

describe('OSError', () => {
  it('picks the subclass CPython picks for every errno, with strerror text', () => {
    const errnos = Object.values(constants.errno);
    const want = pythonJson<[string, string, string][]>(`
import json, os
print(json.dumps([[type(OSError(e, os.strerror(e))).__name__, str(OSError(e, os.strerror(e))), os.strerror(e)] for e in ${JSON.stringify(errnos)}]))`);
    const ours = errnos.map((e) => {
      const err = new OSError(e, os.strerror(e));
      return [err.constructor.name, err.message, os.strerror(e)];
    });
    expect(ours).toEqual(want);
  });

  it('str() and fields, as CPython builds them', () => {
    const want = pythonJson<unknown[]>(`
import json
es = [OSError(5), OSError(5, 'x'), OSError(2, 'No such file', 'f'), OSError(2, 'x', 'a', None, 'b'), OSError('a', 'b', 'c'), OSError()]
print(json.dumps([[str(e), e.errno, e.strerror, e.filename, e.filename2] for e in es]))`);
    const es = [
      new OSError(5),
      new OSError(5, 'x'),
      new OSError(2, 'No such file', 'f'),
      new OSError(2, 'x', 'a', null, 'b'),
      new OSError('a', 'b', 'c'),
      new OSError(),
    ];
    expect(es.map((e) => [e.message, e.errno, e.strerror, e.filename, e.filename2])).toEqual(want);
  });

  it('str() formats non-str arguments with repr(), as CPython does (True, lists, bytes)', () => {
    const want = pythonJson<string[]>(`
import json
print(json.dumps([str(OSError(*a)) for a in [(True,), (1, True), (1, 'x', [1]), (1, 2, 3, 4, 5, [1, 2]), (2, 'e', b'/b'), (None,)]]))`);
    const args: unknown[][] = [
      [true],
      [1, true],
      [1, 'x', [1]],
      [1, 2, 3, 4, 5, [1, 2]],
      [2, 'e', Buffer.from('/b')],
      [null],
    ];
    expect(args.map((a) => new (OSError as unknown as new (...x: unknown[]) => Error)(...a).message)).toEqual(want);
  });

  it('carries Node-style code and syscall, and Python names in String(err)', () => {
    try {
      os.close(-1);
      expect.unreachable();
    } catch (e) {
      const err = e as OSError;
      expect(err).toBeInstanceOf(OSError);
      expect(err.errno).toBe(9);
      expect(err.code).toBe('EBADF');
      expect(err.syscall).toBe('close');
      expect(String(err)).toBe('OSError: [Errno 9] Bad file descriptor');
    }
    expect(String(new OSError(2, 'No such file or directory', 'nosuch'))).toBe(
      "FileNotFoundError: [Errno 2] No such file or directory: 'nosuch'",
    );
  });

  it('has the CPython class tree', () => {
    expect(new BrokenPipeError(32, 'x')).toBeInstanceOf(ConnectionError);
    expect(new BrokenPipeError(32, 'x')).toBeInstanceOf(OSError);
    expect(new OSError(11, 'x')).toBeInstanceOf(BlockingIOError);
    expect(new OSError(2, 'x')).toBeInstanceOf(FileNotFoundError);
    // io.UnsupportedOperation is both an OSError and a ValueError.
    const u = new UnsupportedOperation('not readable');
    expect(u).toBeInstanceOf(OSError);
    expect(u).toBeInstanceOf(ValueError);
    expect(u.message).toBe('not readable');
    expect(new ValueError('x')).not.toBeInstanceOf(OSError);
    expect(new OSError(1, 'x')).not.toBeInstanceOf(ValueError);
    // UnicodeError < ValueError; IndexError < LookupError.
    const enc = new UnicodeEncodeError('ascii', 'x', 0, 1, 'r');
    expect(enc).toBeInstanceOf(UnicodeError);
    expect(enc).toBeInstanceOf(ValueError);
    expect(new UnicodeDecodeError('utf-8', Buffer.from([0xff]), 0, 1, 'r')).toBeInstanceOf(UnicodeError);
    expect(new IndexError('x')).toBeInstanceOf(LookupError);
    // ESHUTDOWN is not in Node's errno table; CPython makes it a BrokenPipeError too.
    expect(new OSError(108, 'x')).toBeInstanceOf(BrokenPipeError);
    expect(String(new SystemError('x'))).toBe('SystemError: x');
  });

  it('words UnicodeEncodeError as CPython: one character or a run, positions in code points', () => {
    const want = pythonJson<string[]>(`
import json
out = []
for s, a, b in [('a\\u0100b', 1, 2), ('\\U0001f600\\u0100\\u0101b', 1, 3), ('\\U0001f600\\u0100', 1, 2), ('x\\U0001f600', 1, 2)]:
    out.append(str(UnicodeEncodeError('ascii', s, a, b, 'ordinal not in range(128)')))
print(json.dumps(out))`);
    expect(
      [
        ['a\u0100b', 1, 2],
        ['\u{1f600}\u0100\u0101b', 1, 3],
        ['\u{1f600}\u0100', 1, 2],
        ['x\u{1f600}', 1, 2],
      ].map(
        ([s, a, b]) =>
          new UnicodeEncodeError('ascii', s as string, a as number, b as number, 'ordinal not in range(128)').message,
      ),
    ).toEqual(want);
  });
});

describe('BlockingIOError(errno, strerror, characters_written)', () => {
  it("keeps a number as characters_written (and in args), as CPython's oserror_init does", () => {
    const want = pythonJson<unknown[]>(`
import json
out = []
for cls, a in [(BlockingIOError, (11, 'x', 5)), (BlockingIOError, (11, 'x', True)), (BlockingIOError, (11, 'x', 'f')),
               (BlockingIOError, (11, 'x', 5, None, 'y')), (BlockingIOError, (11, 'x', None)), (BlockingIOError, (11, 'x')),
               (OSError, (11, 'x', 7)), (OSError, (2, 'x', None)), (OSError, (2, 'x', None, None, 'g')),
               (BlockingIOError, (11, 'x', 2.5)), (BlockingIOError, (11, 'x', 2**64))]:
    try:
        e = cls(*a)
        out.append([type(e).__name__, list(e.args), str(e), e.filename, e.filename2, getattr(e, 'characters_written', None)])
    except Exception as e:
        out.append([type(e).__name__, str(e)])
print(json.dumps(out))`);
    const cases: [unknown, unknown[]][] = [
      [BlockingIOError, [11, 'x', 5]],
      [BlockingIOError, [11, 'x', true]],
      [BlockingIOError, [11, 'x', 'f']],
      [BlockingIOError, [11, 'x', 5, null, 'y']],
      [BlockingIOError, [11, 'x', null]],
      [BlockingIOError, [11, 'x']],
      [OSError, [11, 'x', 7]],
      [OSError, [2, 'x', null]],
      [OSError, [2, 'x', null, null, 'g']],
      [BlockingIOError, [11, 'x', 2.5]],
      [BlockingIOError, [11, 'x', 2n ** 64n]],
    ];
    const ours = cases.map(([cls, a]) => {
      try {
        const e = (cls as (...a: unknown[]) => OSError & { characters_written?: number })(...a);
        return [e.constructor.name, e.args, e.message, e.filename, e.filename2, e.characters_written ?? null];
      } catch (e) {
        return [(e as Error).name, (e as Error).message];
      }
    });
    expect(ours).toEqual(want);
  });

  it('a subclass of BlockingIOError takes the third argument as a filename, as in CPython', () => {
    class Mine extends BlockingIOError {}
    const e = new Mine(11, 'x', 7);
    expect([e.filename, e.characters_written, e.args, e.message]).toEqual([7, undefined, [11, 'x'], '[Errno 11] x: 7']);
  });
});
