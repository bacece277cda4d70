// Ported lines that must compile (npm run typecheck checks this file; it is
// never run): the Python each stands for is in the comment beside it.
import {
  builtins,
  Exception,
  FileNotFoundError,
  io,
  KeyboardInterrupt,
  OSError,
  os,
  RuntimeError,
  SystemExit,
  selectors,
  signal,
  struct,
  subprocess,
  sys,
  ValueError,
} from '../../lib/index.js';

const { input, int, print, repr, str, tuple } = builtins;

export function printing(data: Buffer): void {
  print('output data: ', data.toString('utf-8')); // print('output data: ', data.decode('utf-8'))
  print(data, [1, 2], null, true); // print(data, [1, 2], None, True)
  print('a', 'b', { sep: '', end: '' }); // print('a', 'b', sep='', end='')
  print('oops', { file: sys.stderr, flush: true }); // print('oops', file=sys.stderr, flush=True)
  print('to node', { file: process.stderr }); // a Node stream has write() too
  const r: string = repr(data); // r = repr(data)
  const s: string = str(data, 'utf-8'); // s = str(data, 'utf-8')
  const t: number[] = tuple([1, 2]); // t = (1, 2)
  const name: string = input('name? '); // name = input('name? ')
  const fd: number = int(sys.argv[1] ?? '3'); // fd = int(sys.argv[1])
  const hex: number = int('ff', 16) + int('ff', { base: 16 }); // int('ff', 16) + int('ff', base=16)
  print(r, s, t, name, fd, hex);
}

export function standardStreams(): void {
  sys.stdout.write('text\n'); // sys.stdout.write('text\n')
  sys.stdout.buffer.write(Buffer.from('bytes\n')); // sys.stdout.buffer.write(b'bytes\n')
  sys.stdout.flush(); // sys.stdout.flush()
  const line: string = sys.stdin.readline(); // line = sys.stdin.readline()
  for (const l of sys.stdin) print(l); // for l in sys.stdin: print(l)
  const capture = new io.StringIO(); // capture = io.StringIO()
  sys.stdout = capture; // sys.stdout = capture
  sys.stdout = sys.__stdout__; // sys.stdout = sys.__stdout__
  sys.stderr = { write: (x: string) => x.length }; // anything with write()
  const big: bigint = sys.maxsize; // big = sys.maxsize
  print(line, big, sys.executable, sys.platform, sys.byteorder);
  if (line === '') sys.exit(1); // sys.exit(1)
  sys.exit('bye'); // sys.exit('bye')
}

export function exceptions(): void {
  try {
    os.close(-1);
  } catch (e) {
    // except Exception as e:
    if (!(e instanceof Exception)) throw e;
    if (e instanceof FileNotFoundError) print(e.filename, e.errno); // e.filename, e.errno
    print('error:', e);
  }
  class ProtocolError extends Exception {} // class ProtocolError(Exception): pass
  const err = new ProtocolError('bad header', 4); // ProtocolError('bad header', 4)
  const args: unknown[] = err.args; // err.args
  const code: unknown = new SystemExit(3).code; // SystemExit(3).code
  print(args, code, new RuntimeError('x'), new KeyboardInterrupt() instanceof Exception);
}

/** class Chunks(io.RawIOBase): a raw stream of the program's, wrapped as CPython wraps one. */
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

/** class Plain(io.IOBase): pass — every method has CPython's default. */
class Plain extends io.IOBase {}

export function files(): void {
  const f = new io.TextIOWrapper(new io.BufferedReader(new Chunks([Buffer.from('a\nb')]))); // TextIOWrapper(BufferedReader(Chunks(...)))
  print(f.readline(), new Plain().closed);
  const raw: io.RawIOBase = new io.FileIO(0, 'r', false); // FileIO is a RawIOBase
  const text: io.TextIOBase = f; // TextIOWrapper is a TextIOBase
  const bin: io.BufferedIOBase = new io.BytesIO(); // BytesIO is a BufferedIOBase
  print(raw, text, bin);
  const buf = new io.BytesIO(Buffer.from('head')); // buf = io.BytesIO(b'head')
  buf.seek(0, io.SEEK_END); // buf.seek(0, io.SEEK_END)
  buf.write(Buffer.from('body')); // buf.write(b'body')
  const whole: Buffer = buf.getvalue(); // whole = buf.getvalue()
  {
    using view = buf.getbuffer(); // with buf.getbuffer() as view:
    view[0] = 0x48; //     view[0] = ord('H')
  }
  for (const l of buf) print(l); // for l in buf: print(l)
  const out = new io.StringIO('', null); // out = io.StringIO('', None)
  print('x', { file: out }); // print('x', file=out)
  const lines: string[] = out.getvalue().split('\n');
  print(whole, lines, out.newlines);
}

export function environment(): void {
  const home: string = os.environ.getitem('HOME'); // home = os.environ['HOME']
  os.environ.setitem('DEBUG', '1'); // os.environ['DEBUG'] = '1'
  os.environ.delitem('DEBUG'); // del os.environ['DEBUG']
  const has: boolean = os.environ.has('PATH'); // 'PATH' in os.environ
  const maybe: string | null = os.environ.get('TERM'); // os.environ.get('TERM')
  const dflt: string = os.environ.get('TERM', 'dumb'); // os.environ.get('TERM', 'dumb')
  const shell: string | null = os.getenv('SHELL'); // os.getenv('SHELL')
  for (const k of os.environ) print(k); // for k in os.environ: print(k)
  for (const [k, v] of os.environ.items()) print(k, v); // for k, v in os.environ.items()
  const env = { ...os.environ.copy(), DEBUG: '1' }; // env = {**os.environ, 'DEBUG': '1'}
  const p = new subprocess.Popen(['true'], { env }); // subprocess.Popen(['true'], env=env)
  const bpath: Buffer | null = os.environb.get(Buffer.from('PATH')); // os.environb.get(b'PATH')
  os.chdir('/tmp'); // os.chdir('/tmp')
  const cwd: string = os.getcwd(); // cwd = os.getcwd()
  const old: number = os.umask(0o22); // old = os.umask(0o22)
  os.unlink('f', { dir_fd: 3 }); // os.unlink('f', dir_fd=3)
  os.remove('g'); // os.remove('g')
  const ids: number[] = [os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getsid(0)];
  print(home, has, maybe, dflt, shell, p.pid, bpath, cwd, old, ids);
}

export function callingClasses(): void {
  const p: subprocess.Popen = subprocess.Popen(['true']); // p = subprocess.Popen(['true'])
  const q: subprocess.Popen = new subprocess.Popen(['true']); // new still works
  const raw: io.FileIO = io.FileIO(0, 'rb', false); // raw = io.FileIO(0, 'rb', closefd=False)
  const r: io.BufferedReader = io.BufferedReader(raw); // r = io.BufferedReader(raw)
  const t: io.TextIOWrapper = io.TextIOWrapper(r, 'utf-8'); // t = io.TextIOWrapper(r, 'utf-8')
  const b: io.BytesIO = io.BytesIO(Buffer.from('x')); // b = io.BytesIO(b'x')
  const s: io.StringIO = io.StringIO(); // s = io.StringIO()
  const fmt: struct.Struct = struct.Struct('<i'); // fmt = struct.Struct('<i')
  const st: os.stat_result = os.stat_result([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // os.stat_result((1, ..., 10))
  const cp: subprocess.CompletedProcess = subprocess.CompletedProcess(['true'], 0); // CompletedProcess(['true'], 0)
  const e: OSError = OSError(2, 'No such file or directory'); // e = OSError(2, '...'): a FileNotFoundError
  const fnf = e instanceof FileNotFoundError; // isinstance(e, FileNotFoundError)
  class Frames extends io.BytesIO {} // class Frames(io.BytesIO): pass
  const fr: io.BytesIO = new Frames(); // Frames()
  print(p, q, t, b, s, fmt, st, cp, fnf, fr);
  throw ValueError('bad frame'); // raise ValueError('bad frame')
}

export function typedPipes(): void {
  const p = subprocess.Popen(['cat'], { stdin: subprocess.PIPE, stdout: subprocess.PIPE }); // stdin=PIPE, stdout=PIPE
  p.stdin?.write(Buffer.from('x\n')); // p.stdin.write(b'x\n')
  p.stdin?.flush(); // p.stdin.flush()
  const line: Buffer = p.stdout!.readline(); // line = p.stdout.readline()
  for (const l of p.stdout!) print(l.length); // for l in p.stdout: print(len(l))
  const [out, err] = p.communicate(Buffer.from('x')); // out, err = p.communicate(b'x')
  const o: Buffer | null = out;
  const t = subprocess.Popen(['cat'], { stdin: subprocess.PIPE, stdout: subprocess.PIPE, text: true }); // text=True
  t.stdin!.write('hello\n'); // t.stdin.write('hello\n')
  const tl: string = t.stdout!.readline(); // t.stdout.readline()
  for (const l of t.stdout!) print(l.trimEnd()); // for l in t.stdout: print(l.rstrip())
  const [tout] = t.communicate('x'); // out, _ = t.communicate('x')
  const ts: string | null = tout;
  const e = subprocess.Popen(['cat'], { stdout: subprocess.PIPE, encoding: 'latin-1' }); // encoding='latin-1'
  const el: string = e.stdout!.readline();
  const positional = subprocess.Popen(['cat'], -1, null, subprocess.PIPE, subprocess.PIPE); // Popen(['cat'], -1, None, PIPE, PIPE)
  const pl: Buffer = positional.stdout!.readline();
  const s1: string = subprocess.check_output(['ls'], { text: true }); // check_output(['ls'], text=True)
  const s2: string = subprocess.check_output(['ls'], { encoding: 'utf-8' }); // encoding='utf-8'
  const s3: string = subprocess.check_output(['ls'], { universal_newlines: true }); // universal_newlines=True
  const b1: Buffer = subprocess.check_output(['ls']); // check_output(['ls'])
  const r = subprocess.run(['ls'], { capture_output: true, text: true }); // run(['ls'], capture_output=True, text=True)
  const rs: string | null = r.stdout;
  const rb: Buffer | null = subprocess.run(['ls'], { capture_output: true }).stdout;
  const code: number = subprocess.call(['true'], { timeout: 5 }); // call(['true'], timeout=5)
  print(line, o, err, tl, ts, el, pl, s1, s2, s3, b1, rs, rb, code);
}

export function typedFiles(): void {
  const rf: io.BufferedReader = os.fdopen(3, 'rb'); // os.fdopen(3, 'rb')
  const peeked: Buffer = rf.peek(1); // a BufferedReader has peek()
  const wf: io.BufferedWriter = os.fdopen(4, 'wb'); // os.fdopen(4, 'wb')
  const tf: io.TextIOWrapper = os.fdopen(3, 'r'); // os.fdopen(3, 'r')
  const tdefault: io.TextIOWrapper = os.fdopen(3); // os.fdopen(3)
  const raw: io.FileIO = os.fdopen(3, 'rb', 0); // os.fdopen(3, 'rb', 0)
  const rnd: io.BufferedRandom = io.open('f', 'r+b'); // open('f', 'r+b')
  const kwraw: io.FileIO = io.open(3, 'rb', { buffering: 0 }); // open(3, 'rb', buffering=0)
  const kwt: io.TextIOWrapper = io.open(3, { mode: 'w', encoding: 'utf-8' }); // open(3, mode='w', encoding='utf-8')
  const append: io.BufferedWriter = io.open('log', 'ab'); // open('log', 'ab')
  const mode: string = 'rb';
  const any: io.FileObject = io.open(3, mode); // a mode TypeScript cannot read: any of them
  for (const l of rf) print(l.length); // for l in rf: (bytes)
  for (const l of tf) print(l.trimEnd()); // for l in tf: (str)
  print(peeked, wf, tdefault, raw, rnd, kwraw, kwt, append, any);
}

export function typedStruct(buf: Buffer): void {
  const ints: number[] = struct.unpack('<ihHbB', buf); // struct.unpack('<ihHbB', buf)
  const n: number = struct.unpack('<i', buf)[0]!; // n = struct.unpack('<i', buf)[0]
  const [len] = struct.unpack('!I', buf); // (length,) = struct.unpack('!I', buf)
  const floats: number[] = struct.unpack('!2i d f e', buf);
  const wide: (number | bigint)[] = struct.unpack('<q', buf); // 'q' may be beyond 2**53
  const native: (number | bigint)[] = struct.unpack('l', buf); // native 'l' is 8 bytes
  const standardL: number[] = struct.unpack('<l', buf); // standard 'l' is 4
  const mixed: (number | boolean | Buffer)[] = struct.unpack('<i?4s', buf);
  const header = struct.Struct('<I'); // header = struct.Struct('<I')
  const size: number = header.unpack(buf)[0]!;
  for (const [x] of struct.iter_unpack('<h', buf)) print(x! + 1); // for (x,) in struct.iter_unpack('<h', buf)
  const fmt: string = process.argv[2] ?? '<i';
  const unknownValues: unknown[] = struct.unpack(fmt, buf); // a format known only at run time
  print(ints, n, len, floats, wide, native, standardL, mixed, size, unknownValues);
}

export function typedSignals(): void {
  const term: signal.Signals = signal.Signals.SIGTERM; // signal.Signals.SIGTERM
  const kill: signal.Signals = signal.Signals(9); // signal.Signals(9)
  const value: number = term.value; // term.value
  const name: string = kill.name; // kill.name
  print(term, kill, value, name);
}

export async function typedSelectors(r: number, signal: AbortSignal): Promise<void> {
  const sel = new selectors.DefaultSelector<string>(); // sel = selectors.DefaultSelector()
  sel.register(r, selectors.EVENT_READ, 'pipe'); // sel.register(r, selectors.EVENT_READ, 'pipe')
  const now: [selectors.SelectorKey<string>, number][] = sel.select(0); // sel.select(0)
  const later: [selectors.SelectorKey<string>, number][] = await sel.selectAsync(1, { signal });
  for (const [key, events] of await sel.selectAsync()) print(key.data, events); // for key, events in sel.select():
  const called = selectors.DefaultSelector<string>(); // called without new, as in Python: T is kept
  const keyData: string | null = called.register(r, selectors.EVENT_WRITE, 'out').data;
  called.close();
  const poll = selectors.PollSelector();
  print(now, later, keyData, await poll.selectAsync(null), await selectors.SelectSelector().selectAsync(0));
  sel.close();
}
