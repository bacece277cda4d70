// Ported lines that must compile (npm run typecheck checks this file; it is
// never run): the Python each stands for is in the comment beside it.
import {
  builtins,
  Exception,
  FileNotFoundError,
  io,
  KeyboardInterrupt,
  os,
  RuntimeError,
  SystemExit,
  subprocess,
  sys,
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
