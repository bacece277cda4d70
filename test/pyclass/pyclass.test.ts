// Classes called as Python calls them (lib/pyclass.ts): every class a port
// constructs works with and without `new`, keeps instanceof, subclassing
// and static members, and the error classes still pick their subclass.
import { Buffer } from 'node:buffer';
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import * as errors from '../../lib/errors.js';
import {
  BaseException,
  BlockingIOError,
  Exception,
  FileNotFoundError,
  io,
  multiprocessing,
  OSError,
  os,
  PermissionError,
  pickle,
  struct,
  subprocess,
  UnsupportedOperation,
  ValueError,
} from '../../lib/index.js';
import { classOf, pyclass } from '../../lib/pyclass.js';
import { pythonJson } from '../helpers/python.js';

type Loose = (...a: unknown[]) => object;
const loose = (c: unknown) => c as Loose & (new (...a: unknown[]) => object);

/** The read end of a pipe whose write end is closed: for Connection(fd), which closes it. */
function readEnd(): number {
  const [r, w] = os.pipe();
  os.close(w);
  return r;
}

/** Each class a port calls, with arguments that construct one (no fd is left open). */
function cases(): [string, unknown, () => unknown[]][] {
  const raw = () => new io.BytesIO(Buffer.from('ab\ncd'));
  return [
    ['io.BytesIO', io.BytesIO, () => [Buffer.from('x')]],
    ['io.StringIO', io.StringIO, () => ['x']],
    ['io.BufferedReader', io.BufferedReader, () => [raw()]],
    ['io.BufferedWriter', io.BufferedWriter, () => [raw()]],
    ['io.BufferedRandom', io.BufferedRandom, () => [raw()]],
    ['io.BufferedRWPair', io.BufferedRWPair, () => [raw(), raw()]],
    ['io.TextIOWrapper', io.TextIOWrapper, () => [raw()]],
    ['io.FileIO', io.FileIO, () => [0, 'r', false]],
    ['io.IOBase', io.IOBase, () => []],
    ['io.RawIOBase', io.RawIOBase, () => []],
    ['io.BufferedIOBase', io.BufferedIOBase, () => []],
    ['io.TextIOBase', io.TextIOBase, () => []],
    ['struct.Struct', struct.Struct, () => ['<i']],
    ['struct.error', struct.error, () => ['x']],
    ['os.stat_result', os.stat_result, () => [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]],
    ['subprocess.CompletedProcess', subprocess.CompletedProcess, () => [['true'], 0]],
    ['subprocess.CalledProcessError', subprocess.CalledProcessError, () => [1, ['false']]],
    ['subprocess.TimeoutExpired', subprocess.TimeoutExpired, () => [['sleep'], 1]],
    ['subprocess.SubprocessError', subprocess.SubprocessError, () => ['x']],
    ['pickle.PickleError', pickle.PickleError, () => ['x']],
    ['pickle.UnpicklingError', pickle.UnpicklingError, () => ['x']],
    ['multiprocessing.Process', multiprocessing.Process, () => [{ target: () => undefined }]],
    ['multiprocessing.ProcessError', multiprocessing.ProcessError, () => ['x']],
    ['multiprocessing.AuthenticationError', multiprocessing.AuthenticationError, () => ['x']],
    ['multiprocessing.connection.Connection', multiprocessing.connection.Connection, () => [readEnd()]],
    ['multiprocessing.connection.Listener', multiprocessing.connection.Listener, () => []],
  ];
}

describe('classes called without new', () => {
  it.each(cases())('%s(...) and new %s(...) make the same kind of object', (_name, cls, args) => {
    const C = loose(cls);
    const made = [new C(...args()), C(...args())];
    for (const obj of made) {
      expect(obj).toBeInstanceOf(C);
      expect(Object.getPrototypeOf(obj)).toBe(C.prototype);
      expect(obj.constructor).toBe(C);
    }
    expect(C.name).toBe(classOf(C).name);
    for (const obj of made) (obj as { close?(): void }).close?.();
  });

  it('subprocess.Popen(args) without new starts the child and is a Popen', () => {
    const p = subprocess.Popen(['true']);
    expect(p).toBeInstanceOf(subprocess.Popen);
    expect(p.wait()).toBe(0);
    const q = new subprocess.Popen(['true']);
    expect(q.wait()).toBe(0);
  });

  it('every exception class, called without new', () => {
    for (const [name, cls] of Object.entries(errors)) {
      if (typeof cls !== 'function' || !(cls.prototype instanceof Error)) continue;
      const C = loose(cls);
      const args: unknown[] =
        name.startsWith('Unicode') && name !== 'UnicodeError' ? ['utf-8', 'x', 0, 1, 'bad'] : ['x'];
      if (name === 'UnicodeDecodeError') args[1] = Buffer.from('x');
      const e = C(...args) as Error;
      expect(e, name).toBeInstanceOf(C);
      expect(e, name).toBeInstanceOf(BaseException);
      expect(e.name, name).toBe(name);
    }
  });
});

describe('OSError(errno, strerror) without new', () => {
  it('picks the subclass CPython picks, as with new', () => {
    const errnos = Object.values(constants.errno);
    const want = pythonJson<string[]>(`
import json
print(json.dumps([type(OSError(e, 'x')).__name__ for e in ${JSON.stringify(errnos)}]))`);
    expect(errnos.map((e) => OSError(e, 'x').constructor.name)).toEqual(want);
    expect(errnos.map((e) => new OSError(e, 'x').constructor.name)).toEqual(want);
  });

  it("OSError(2, 'x') is a FileNotFoundError, an OSError and an Exception; its subclasses pick nothing", () => {
    const e = OSError(2, 'x');
    expect(e).toBeInstanceOf(FileNotFoundError);
    expect(e.constructor).toBe(FileNotFoundError);
    expect(e).toBeInstanceOf(OSError);
    expect(e).toBeInstanceOf(Exception);
    expect(String(e)).toBe('FileNotFoundError: [Errno 2] x');
    // class MyError(OSError): pass — MyError(2, 'x') is a MyError (CPython's OSError.__new__ picks only for OSError itself).
    class MyError extends OSError {}
    const want = pythonJson<[string, number]>(`
import json
class MyError(OSError): pass
e = MyError(2, 'x')
print(json.dumps([type(e).__name__, e.errno]))`);
    const mine = new MyError(2, 'x');
    expect([mine.constructor.name, mine.errno]).toEqual(want);
    expect(mine).toBeInstanceOf(OSError);
    expect(mine).not.toBeInstanceOf(FileNotFoundError);
    expect(PermissionError(13, 'x')).toBeInstanceOf(PermissionError);
    expect(BlockingIOError(11, 'x')).toBeInstanceOf(OSError);
  });

  it('instanceof keeps its widened rules: a JS TypeError is an Exception, UnsupportedOperation a ValueError', () => {
    expect(new TypeError('t')).toBeInstanceOf(Exception);
    expect(new TypeError('t')).toBeInstanceOf(BaseException);
    expect(UnsupportedOperation('x')).toBeInstanceOf(ValueError);
    expect(UnsupportedOperation('x')).toBeInstanceOf(OSError);
    class Mine extends ValueError {}
    expect(UnsupportedOperation('x')).not.toBeInstanceOf(Mine);
    expect(new TypeError('t')).not.toBeInstanceOf(class extends Exception {});
  });
});

describe('subclassing the exported classes', () => {
  it('class Chunks(io.RawIOBase) with super() is a raw stream a BufferedReader wraps', () => {
    class Chunks extends io.RawIOBase {
      constructor(private chunks: Buffer[]) {
        super();
      }
      override readable(): boolean {
        return true;
      }
      override readinto(b: Uint8Array): number {
        const c = this.chunks.shift() ?? Buffer.alloc(0);
        b.set(c.subarray(0, b.length));
        return Math.min(c.length, b.length);
      }
    }
    const raw = new Chunks([Buffer.from('ab'), Buffer.from('c\nd')]);
    expect(raw).toBeInstanceOf(Chunks);
    expect(raw).toBeInstanceOf(io.RawIOBase);
    expect(raw).toBeInstanceOf(io.IOBase);
    const f = io.BufferedReader(raw);
    expect(f.readline().toString()).toBe('abc\n');
    expect(io.TextIOWrapper(io.BufferedReader(new Chunks([Buffer.from('x\ny')]))).read()).toBe('x\ny');
  });

  it('a subclass of a concrete class keeps its methods, fields and the base behaviour', () => {
    class Framed extends io.BytesIO {
      frames = 0;
      frame(): Buffer {
        this.frames++;
        const n = this.read(1)?.[0] ?? 0;
        return this.read(n) ?? Buffer.alloc(0);
      }
    }
    const f = new Framed(Buffer.from('\x02hi\x01!'));
    expect(f.frame().toString()).toBe('hi');
    expect(f.frame().toString()).toBe('!');
    expect(f.frames).toBe(2);
    expect(f).toBeInstanceOf(io.BytesIO);
    expect(f.constructor).toBe(Framed);
    class LengthStruct extends struct.Struct {
      constructor() {
        super('<I');
      }
    }
    expect(new LengthStruct().unpack(Buffer.from([1, 0, 0, 0]))).toEqual([1]);
    class ProtocolError extends Exception {
      constructor(readonly code: number) {
        super('protocol', code);
      }
    }
    const e = new ProtocolError(4);
    expect([e.code, e.args, e.message, e instanceof Exception]).toEqual([4, ['protocol', 4], "('protocol', 4)", true]);
  });

  it('static members stay reachable through the twin and its subclasses', () => {
    class Counter {
      static made = 0;
      static make(): Counter {
        return new Counter();
      }
      constructor() {
        Counter.made++;
      }
    }
    const C = pyclass(Counter);
    expect(C.made).toBe(0);
    C();
    new C();
    expect(C.made).toBe(2);
    expect(C.make()).toBeInstanceOf(C);
    class Sub extends C {}
    expect(Sub.made).toBe(3);
    expect(new Sub()).toBeInstanceOf(C);
    expect(classOf(C)).toBe(Counter);
    expect(classOf(Sub)).toBe(Sub);
    expect(Object.getPrototypeOf(C)).toBe(Counter);
  });

  it('more than three arguments reach the constructor (the twin passes them all)', () => {
    class Four {
      args: unknown[];
      constructor(...args: unknown[]) {
        this.args = args;
      }
    }
    const F = pyclass(Four);
    expect(F(1, 2, 3, 4, 5).args).toEqual([1, 2, 3, 4, 5]);
    expect(new F(1, 2, 3, 4).args).toEqual([1, 2, 3, 4]);
    expect(F().args).toEqual([]);
    expect(OSError(2, 'x', 'f', null, 'g').message).toBe("[Errno 2] x: 'f' -> 'g'");
  });
});
