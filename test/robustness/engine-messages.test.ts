// Where V8 or Node used to speak instead of CPython (issue 10, item 7, and
// what the bad-input matrix found): each case against CPython running the
// same call. A detached ArrayBuffer is what a released memoryview is to
// Python: CPython's scenarios release one.
import { describe, expect, it } from 'vitest';
import {
  BaseException,
  builtins,
  io,
  multiprocessing,
  os,
  pickle,
  struct,
  subprocess,
  UnicodeDecodeError,
  UnicodeEncodeError,
} from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

/** A Uint8Array whose ArrayBuffer has been transferred away. */
function detached(): Uint8Array {
  const u = new Uint8Array(8);
  structuredClone(u.buffer, { transfer: [u.buffer] });
  return u;
}

function detachedArrayBuffer(): ArrayBuffer {
  const ab = new ArrayBuffer(8);
  structuredClone(ab, { transfer: [ab] });
  return ab;
}

function expectSame(cases: [string, () => unknown][], prelude = ''): void {
  const { python, pipefork } = runCases(cases, prelude);
  expect(pipefork).toEqual(python);
}

/** An open pipe for the duration of fn. */
function withPipe<T>(fn: (r: number, w: number) => T): T {
  const [r, w] = os.pipe();
  try {
    return fn(r, w);
  } finally {
    os.close(r);
    os.close(w);
  }
}

describe('a raw stream or buffer without the methods CPython calls', () => {
  it("io.BufferedReader({}): 'dict' object has no attribute 'readable' (CPython's AttributeError, a TypeError here)", () => {
    const B = loose((...a: unknown[]) => new (io.BufferedReader as unknown as new (...b: unknown[]) => unknown)(...a));
    const W = loose((...a: unknown[]) => new (io.BufferedWriter as unknown as new (...b: unknown[]) => unknown)(...a));
    const R = loose((...a: unknown[]) => new (io.BufferedRandom as unknown as new (...b: unknown[]) => unknown)(...a));
    const P = loose((...a: unknown[]) => new (io.BufferedRWPair as unknown as new (...b: unknown[]) => unknown)(...a));
    const T = loose((...a: unknown[]) => new (io.TextIOWrapper as unknown as new (...b: unknown[]) => unknown)(...a));
    class OnlyReadable {
      readable() {
        return true;
      }
    }
    expectSame(
      [
        ['io.BufferedReader({})', () => B({})],
        ['io.BufferedReader(None)', () => B(null)],
        ['io.BufferedWriter({})', () => W({})],
        ['io.BufferedWriter(5)', () => W(5)],
        ['io.BufferedRandom({})', () => R({})],
        ['io.BufferedRandom(OnlyReadable())', () => R(new OnlyReadable())],
        ['io.BufferedRWPair({}, {})', () => P({}, {})],
        ['io.TextIOWrapper(None)', () => T(null)],
        ['io.TextIOWrapper("abc")', () => T('abc')],
        ['io.TextIOWrapper({})', () => T({})],
        ['io.TextIOWrapper(OnlyReadable())', () => T(new OnlyReadable())],
      ],
      'import io\nclass OnlyReadable:\n    def readable(self): return True',
    );
  });
});

describe('os.execv: a hole in argv is None', () => {
  it("os.execv(p, [, 'x']) is CPython's execv(p, [None, 'x']), not V8's reading of undefined", () => {
    const holey: unknown[] = [];
    holey[1] = 'x';
    expectSame(
      [
        ["os.execv('/nonexistent', [None, 'x'])", () => os.execv('/nonexistent', holey as string[])],
        ["os.execve('/nonexistent', [None, 'x'], {})", () => loose(os.execve)('/nonexistent', holey, new Map())],
      ],
      'import os',
    );
  });
});

describe('Popen: pass_fds and extra_groups', () => {
  it("pass_fds beyond a C long is CPython's ValueError('bad value(s) in fds_to_keep'), as other bad fds are", () => {
    const popen = (fd: unknown) => () => {
      const p = new subprocess.Popen(['true'], { pass_fds: [fd as number] });
      return p.wait();
    };
    expectSame(
      [
        ["subprocess.Popen(['true'], pass_fds=[2**64]).wait()", popen(2n ** 64n)],
        ["subprocess.Popen(['true'], pass_fds=[2**63]).wait()", popen(2n ** 63n)],
        ["subprocess.Popen(['true'], pass_fds=[2**63 - 1]).wait()", popen(2n ** 63n - 1n)],
        ["subprocess.Popen(['true'], pass_fds=[2**31]).wait()", popen(2 ** 31)],
        ["subprocess.Popen(['true'], pass_fds=[-2**64]).wait()", popen(-(2n ** 64n))],
        ["subprocess.Popen(['true'], pass_fds=[float('inf')]).wait()", popen(Number.POSITIVE_INFINITY)],
        [
          "subprocess.Popen(['true'], extra_groups=5).wait()",
          () => new subprocess.Popen(['true'], { extra_groups: 5 as unknown as number[] }),
        ],
      ],
      'import subprocess',
    );
  });
});

describe('struct: an explicit undefined offset is None', () => {
  it("unpack_from(fmt, b, undefined) and pack_into(fmt, b, undefined, v) are CPython's TypeError for None", () => {
    const b = Buffer.from([1, 2]);
    expectSame(
      [
        [
          "struct.unpack_from('b', b'\\x01\\x02', None)",
          () => struct.unpack_from('b', b, undefined as unknown as number),
        ],
        [
          "struct.Struct('b').unpack_from(b'\\x01\\x02', None)",
          () => {
            const s = new struct.Struct('b');
            return loose(s.unpack_from.bind(s))(b, undefined);
          },
        ],
        [
          "struct.pack_into('b', bytearray(2), None, 1)",
          () => struct.pack_into('b', Buffer.alloc(2), undefined as unknown as number, 1),
        ],
        // Left out, the default: 0.
        ["struct.unpack_from('b', b'\\x01\\x02')", () => struct.unpack_from('b', b)],
        ["struct.unpack_from('b', buffer=b'\\x01\\x02')", () => loose(struct.unpack_from)('b', { buffer: b })],
      ],
      'import struct',
    );
  });
});

describe('a detached ArrayBuffer is a released memoryview', () => {
  it("os, io, struct, pickle and subprocess say CPython's 'operation forbidden on released memoryview object'", () => {
    const prelude = `import io, os, pickle, struct, subprocess
m = memoryview(bytearray(8)); m.release()
r, w = os.pipe()`;
    const cases = (r: number, w: number): [string, () => unknown][] => [
      ['os.write(w, m)', () => os.write(w, detached())],
      ['os.writev(w, [m])', () => os.writev(w, [detached()])],
      ['os.readv(r, [m])', () => os.readv(r, [detached()])],
      ["struct.unpack('b', m)", () => struct.unpack('b', detached())],
      ["struct.unpack_from('b', m)", () => struct.unpack_from('b', detached())],
      ["struct.Struct('b').unpack(m)", () => new struct.Struct('b').unpack(detached())],
      ['pickle.loads(m)', () => pickle.loads(detached())],
      ['io.BytesIO(m)', () => new io.BytesIO(detached())],
      ['io.BytesIO().write(m)', () => new io.BytesIO().write(detached())],
      ["io.open(w, 'wb', closefd=False).write(m)", () => io.open(w, 'wb', { closefd: false }).write(detached())],
      [
        "io.open(w, 'wb', buffering=0, closefd=False).write(m)",
        () => io.open(w, 'wb', { buffering: 0, closefd: false }).write(detached()),
      ],
      ["subprocess.run(['true'], input=m)", () => subprocess.run(['true'], { input: detached() })],
      // Where CPython wants a buffer it can write to, or a bytes-like object to decode, a released one is a TypeError.
      ["struct.pack_into('b', m, 0, 1)", () => struct.pack_into('b', detached(), 0, 1)],
      ['io.BytesIO().readinto(m)', () => new io.BytesIO().readinto(detached())],
      [
        'io.FileIO(r, closefd=False).readinto(m)',
        () => new io.FileIO(r, 'rb', { closefd: false }).readinto(detached()),
      ],
      ["io.open(r, 'rb', closefd=False).readinto(m)", () => io.open(r, 'rb', { closefd: false }).readinto(detached())],
      ['str(m, "utf-8")', () => builtins.str(detached(), 'utf-8')],
      ['int(m)', () => builtins.int(detached())],
    ];
    withPipe((r, w) => expectSame(cases(r, w), prelude));
    // The plain ArrayBuffer form, which V8 refused with "Cannot perform Construct on a detached ArrayBuffer";
    // os.readinto is Python 3.14's (a TypeError, as the other buffers it writes to).
    withPipe((r, w) => {
      expect(() => os.write(w, detachedArrayBuffer())).toThrow('operation forbidden on released memoryview object');
      expect(() => os.readinto(r, detached())).toThrow(
        new TypeError('readinto() argument 2 must be read-write bytes-like object, not memoryview'),
      );
    });
  });

  it('multiprocessing.connection: recv_bytes_into(m) as CPython; authkeys and a Listener take no detached buffer', () => {
    const { Pipe, Listener, answer_challenge } = multiprocessing.connection;
    const [a, b] = Pipe();
    try {
      b.send_bytes(Buffer.from('x'));
      expectSame(
        [['a.recv_bytes_into(m)', () => a.recv_bytes_into(detached())]],
        `from multiprocessing import Pipe
m = memoryview(bytearray(8)); m.release()
a, b = Pipe(); b.send_bytes(b'x')`,
      );
      // CPython takes bytes only ("Authkey must be bytes"); pipefork takes a Uint8Array, and a detached one is released.
      const released = 'operation forbidden on released memoryview object';
      expect(() => answer_challenge(a, detached())).toThrow(released);
      expect(() => new Listener(null, { authkey: detached() })).toThrow(released);
    } finally {
      a.close();
      b.close();
    }
  });

  it('repr() and an exception made of one print <released memory>, as CPython prints <released memory at 0x...>', () => {
    expect(builtins.repr(detached())).toBe('<released memory>');
    expect(new BaseException(detached()).message).toBe('<released memory>');
    expect(builtins.repr([detached()])).toBe('[<released memory>]');
  });
});

describe('Python iteration: non-iterables', () => {
  it("frozenset(1.5), tuple(None), environ.update(None / [1, 'a'] / [('a',)]) say what CPython says", () => {
    expectSame(
      [
        ['frozenset(1.5)', () => pickle.frozenset(1.5 as unknown as number[])],
        ['frozenset(True)', () => pickle.frozenset(true as unknown as number[])],
        ['tuple(None)', () => builtins.tuple(null as unknown as number[])],
        ['os.environ.update(None)', () => os.environ.update(null as unknown as Map<string, string>)],
        ["os.environ.update([1, 'a'])", () => os.environ.update([1, 'a'] as unknown as [string, string][])],
        ["os.environ.update([('a',)])", () => os.environ.update([['a']] as unknown as [string, string][])],
        [
          "os.environ.update([('a', 'b', 'c')])",
          () => os.environ.update([['a', 'b', 'c']] as unknown as [string, string][]),
        ],
      ],
      'import os',
    );
  });
});

describe('UnicodeDecodeError and UnicodeEncodeError made by a program', () => {
  it('check their five arguments as CPython does, in its words', () => {
    const D = loose((...a: unknown[]) => new (UnicodeDecodeError as unknown as new (...b: unknown[]) => unknown)(...a));
    const E = loose((...a: unknown[]) => new (UnicodeEncodeError as unknown as new (...b: unknown[]) => unknown)(...a));
    const str = (f: () => unknown) => () => String((f() as Error).message);
    expectSame([
      ['UnicodeDecodeError()', () => D()],
      ['UnicodeDecodeError(1, 2, 3, 4, 5)', () => D(1, 2, 3, 4, 5)],
      ["UnicodeDecodeError(None, b'', 1, 2, 'r')", () => D(null, Buffer.alloc(0), 1, 2, 'r')],
      ["UnicodeDecodeError('a', 'b', 1, 2, 'r')", () => D('a', 'b', 1, 2, 'r')],
      ["UnicodeDecodeError('a', b'x', 1.5, 2, 'r')", () => D('a', Buffer.from('x'), 1.5, 2, 'r')],
      ["UnicodeDecodeError('a', b'x', 2**64, 2, 'r')", () => D('a', Buffer.from('x'), 2n ** 64n, 2, 'r')],
      ["UnicodeDecodeError('a', b'x', 1, 2, 3)", () => D('a', Buffer.from('x'), 1, 2, 3)],
      ["str(UnicodeDecodeError('a', b'xy', 0, 1, 'r'))", str(() => D('a', Buffer.from('xy'), 0, 1, 'r'))],
      ["UnicodeEncodeError('a', b'x', 1, 2, 'r')", () => E('a', Buffer.from('x'), 1, 2, 'r')],
      ["UnicodeEncodeError('a', 'x', None, 2, 'r')", () => E('a', 'x', null, 2, 'r')],
      ["str(UnicodeEncodeError('a', 'xy', 0, 2, 'r'))", str(() => E('a', 'xy', 0, 2, 'r'))],
    ]);
  });
});
