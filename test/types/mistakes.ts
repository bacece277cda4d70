// Ported lines that must NOT compile (npm run typecheck checks this file:
// each @ts-expect-error must meet an error, or the check fails). Each is a
// mistake a port makes; the comment says what the right line is.
import { builtins, io, os, SystemExit, sys } from '../../lib/index.js';

const { input, int, repr, str, tuple } = builtins;

export function mistakes(): void {
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
  void s;
  void code;
}

/** A raw stream whose readinto() returns text is a mistake: it returns a count. */
export class BadRaw extends io.RawIOBase {
  // @ts-expect-error readinto() returns the number of bytes read
  override readinto(_b: Uint8Array): string {
    return '';
  }
}
