// Ported lines that must NOT compile (npm run typecheck checks this file:
// each @ts-expect-error must meet an error, or the check fails). Each is a
// mistake a port makes; the comment says what the right line is.
import { builtins, io, OSError, os, SystemExit, selectors, signal, struct, subprocess, sys } from '../../lib/index.js';

const { input, int, repr, str, tuple } = builtins;

export function mistakes(): void {
  // @ts-expect-error selectAsync's timeout is seconds, and signal goes in the options: sel.selectAsync(5, { signal })
  selectors.DefaultSelector().selectAsync(new AbortController().signal);
  // @ts-expect-error this selector's data is a str, also when called without new: register(r, EVENT_READ, '5')
  selectors.DefaultSelector<string>().register(0, selectors.EVENT_READ, 5);
  // @ts-expect-error int() returns a number: compare with a number, or use str(n)
  const s: string = int('5');
  // @ts-expect-error environ keys are str: os.environ.getitem('1')
  os.environ.getitem(1);
  // @ts-expect-error environb takes bytes: os.environb.getitem(Buffer.from('HOME'))
  os.environb.getitem('HOME');
  // @ts-expect-error putenv's value is a str: os.environ.setitem('N', String(5))
  os.environ.setitem('N', 5);
  // @ts-expect-error a misspelt keyword: { dir_fd: 3 }
  os.unlink('f', { dirfd: 3 });
  // @ts-expect-error chdir needs a path or an fd
  os.chdir(null);
  // @ts-expect-error umask takes an int: os.umask(0o22)
  os.umask('022');
  // @ts-expect-error BytesIO holds bytes: new io.BytesIO(Buffer.from('text'))
  new io.BytesIO('text');
  // @ts-expect-error StringIO holds str: new io.StringIO(data.toString())
  new io.StringIO(Buffer.from('x'));
  // @ts-expect-error sys.stdout takes a file object, or anything with write()
  sys.stdout = 5;
  // @ts-expect-error SystemExit.code may be anything: narrow it first
  const code: number = new SystemExit(1).code;
  // @ts-expect-error input() takes at most one prompt
  input('a', 'b');
  // @ts-expect-error repr() takes exactly one argument
  repr();
  // @ts-expect-error tuple() takes an iterable: tuple([5])
  tuple(5);
  // @ts-expect-error str()'s encoding is a str: str(data, 'utf-8')
  str(Buffer.from('x'), 8);
  // @ts-expect-error a class called without new takes the same arguments: struct.Struct('<i')
  struct.Struct(4);
  // @ts-expect-error OSError(...) is an OSError, not a number: OSError(2, 'x').errno
  const errno: number = OSError(2, 'x');
  // @ts-expect-error io.BytesIO() holds bytes, called or constructed
  io.BytesIO('text');
  void s;
  void code;
  void errno;
}

/** A raw stream whose readinto() returns text is a mistake: it returns a count. */
export class BadRaw extends io.RawIOBase {
  // @ts-expect-error readinto() returns the number of bytes read
  override readinto(_b: Uint8Array): string {
    return '';
  }
}

export function typedMistakes(buf: Buffer): void {
  // @ts-expect-error a misspelt keyword: { pass_fds: [3] }
  subprocess.Popen(['true'], { pass_fd: [3] });
  // @ts-expect-error a misspelt keyword among right ones
  subprocess.Popen(['true'], { stdout: subprocess.PIPE, pass_fd: [3] });
  // @ts-expect-error run's keywords are Popen's and its own: capture_output
  subprocess.run(['true'], { capture: true });
  // @ts-expect-error check_output sets stdout itself (CPython's ValueError)
  subprocess.check_output(['ls'], { stdout: subprocess.PIPE });
  // @ts-expect-error text: true gives str, not bytes
  const b: Buffer = subprocess.check_output(['ls'], { text: true });
  // @ts-expect-error binary mode gives bytes: .toString() them, or pass text: true
  const s: string = subprocess.check_output(['ls']);
  // @ts-expect-error a binary pipe's line is a Buffer
  const l: string = subprocess.Popen(['ls'], { stdout: subprocess.PIPE }).stdout!.readline();
  // @ts-expect-error a text pipe takes str: p.stdin.write('x')
  subprocess.Popen(['cat'], { stdin: subprocess.PIPE, text: true }).stdin!.write(Buffer.from('x'));
  // @ts-expect-error communicate() of a binary Popen gives Buffers
  const [out]: [string | null, unknown] = subprocess.Popen(['ls'], { stdout: subprocess.PIPE }).communicate();
  // @ts-expect-error 'rb' is a BufferedReader, not a TextIOWrapper
  const t: io.TextIOWrapper = os.fdopen(3, 'rb');
  // @ts-expect-error unbuffered ('rb', 0) is a FileIO: it has no peek()
  os.fdopen(3, 'rb', 0).peek();
  // @ts-expect-error a misspelt open() keyword: { encoding: 'utf-8' }
  io.open(3, 'r', { encodng: 'utf-8' });
  // @ts-expect-error '<q' may give a BigInt: (number | bigint)[]
  const q: number[] = struct.unpack('<q', buf);
  // @ts-expect-error '<i' gives numbers
  const strs: string[] = struct.unpack('<i', buf);
  // @ts-expect-error a Signals member is an object: use its .value
  const n: number = signal.Signals.SIGTERM;
  void [b, s, l, out, t, q, strs, n];
}
