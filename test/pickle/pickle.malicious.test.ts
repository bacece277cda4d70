// Hostile pickles: anything that names a class or function, huge declared
// lengths, deep nesting, truncation and memo tricks give an UnpicklingError
// with a clear message: no code runs, nothing is allocated beyond the
// input's size, the stack never overflows, nothing takes quadratic time.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pickle } from '../../lib/index.js';
import { pyDumps } from './helpers.js';

const { loads, dumps, UnpicklingError } = pickle;

const dir = mkdtempSync(join(tmpdir(), 'pipefork-pickle-'));
const marker = join(dir, 'pwned');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bin = (s: string) => Buffer.from(s, 'latin1');

function refused(input: Buffer, message: string | RegExp): void {
  let err: unknown;
  try {
    loads(input);
  } catch (e) {
    err = e;
  }
  expect(err, `loads(${input.toString('hex').slice(0, 80)})`).toBeInstanceOf(UnpicklingError);
  if (typeof message === 'string') expect((err as Error).message).toBe(message);
  else expect((err as Error).message).toMatch(message);
}

describe('pickle.loads() of hostile input', () => {
  it('refuses a global that is not data: the classic os.system payload runs nothing', () => {
    refused(bin(`cos\nsystem\n(S'touch ${marker}'\ntR.`), "global 'os.system' is forbidden");
    refused(bin(`cposix\nsystem\n(S'touch ${marker}'\ntR.`), "global 'posix.system' is forbidden");
    refused(bin(`c__builtin__\neval\n(S'1'\ntR.`), "global '__builtin__.eval' is forbidden");
    refused(bin(`\x80\x04\x8c\x08builtins\x8c\x04exec\x93\x8c\x011\x85R.`), "global 'builtins.exec' is forbidden");
    refused(bin(`\x80\x04\x8c\x02os\x8c\x06system\x93.`), "global 'os.system' is forbidden");
    refused(bin(`csubprocess\nPopen\n(]S'touch'\naS'${marker}'\na\x85R.`), "global 'subprocess.Popen' is forbidden");
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses every opcode that builds an object of a class or calls anything', () => {
    const forbidden = /^opcode (BUILD|INST|OBJ|NEWOBJ|NEWOBJ_EX|EXT1|EXT2|EXT4) is forbidden/;
    refused(bin('}}b.'), forbidden); // BUILD
    refused(bin('(ios\nsystem\n.'), forbidden); // INST
    refused(bin('(N)o.'), forbidden); // OBJ
    refused(bin('N)\x81.'), forbidden); // NEWOBJ
    refused(bin('N)}\x92.'), forbidden); // NEWOBJ_EX
    refused(bin('\x82\x01.'), forbidden);
    refused(bin('\x83\x01\x00.'), forbidden);
    refused(bin('\x84\x01\x00\x00\x00.'), forbidden);
    refused(bin('Pfoo\n.'), /^A load persistent id instruction was encountered/);
    refused(bin('NQ.'), /^A load persistent id instruction was encountered/);
    refused(bin('])R.'), "'list' object is not callable");
    refused(bin('cbuiltins\nset\n.'), "global 'builtins.set' is forbidden outside a REDUCE");
    refused(bin('(cbuiltins\nset\nl.'), "global 'builtins.set' is forbidden outside a REDUCE");
    refused(bin('\x8f(cbuiltins\nset\n\x90.'), "global 'builtins.set' is forbidden outside a REDUCE");
  });

  it('calls an allowed global only with the arguments CPython writes for it', () => {
    const forbidden = /^REDUCE of builtins\.\w+ with these arguments is forbidden/;
    refused(bin('cbuiltins\nbytearray\nJ\x00\x00\x00\x40\x85R.'), forbidden); // bytearray(2**30): 1 GiB from 10 bytes
    refused(bin('cbuiltins\nbytes\nJ\x00\x00\x00\x40\x85R.'), /^REDUCE of builtins\.bytes/);
    refused(bin('cbuiltins\nset\nX\x03\x00\x00\x00abc\x85R.'), forbidden);
    refused(bin('c_codecs\nencode\nX\x01\x00\x00\x00aX\x05\x00\x00\x00utf-8\x86R.'), /^REDUCE of _codecs\.encode/);
    refused(
      bin('c_codecs\nencode\nX\x02\x00\x00\x00\xc4\x80X\x06\x00\x00\x00latin1\x86R.'),
      /can't encode character '\\u0100'/,
    );
    refused(bin('cbuiltins\nset\n]]a\x85R.'), "unhashable type: 'list'");
    refused(bin('cbuiltins\nset\nN.'.replace('N.', 'NR.')), 'argument list must be a tuple');
  });

  it('checks a declared length against the input before allocating: 3 GiB in 20 bytes', () => {
    const huge = [
      '\x8e\x00\x00\x00\xc0\x00\x00\x00\x00abc.', // BINBYTES8 3 GiB
      '\x8d\x00\x00\x00\xc0\x00\x00\x00\x00abc.', // BINUNICODE8
      '\x96\x00\x00\x00\xc0\x00\x00\x00\x00abc.', // BYTEARRAY8
      'B\xff\xff\xff\xffabc.', // BINBYTES 4 GiB
      'X\xff\xff\xff\xffabc.', // BINUNICODE
      'T\xff\xff\xff\xffabc.', // BINSTRING
      '\x8b\xff\xff\xff\x7fabc.', // LONG4 2 GiB of digits
      '\x95\x00\x00\x00\xc0\x00\x00\x00\x00N.', // FRAME
    ];
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 200; i++) for (const h of huge) refused(bin(h), 'pickle data was truncated');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
    refused(
      bin('\x8e\x00\x00\x00\x00\x00\x00\x00\x80.'),
      "BINBYTES exceeds system's maximum size of 9223372036854775807 bytes",
    );
    refused(
      bin('\x95\xff\xff\xff\xff\xff\xff\xff\xffN.'),
      "FRAME length exceeds system's maximum of 9223372036854775807 bytes",
    );
  });

  it('keeps memo indexes from hand-made pickles sparse: LONG_BINPUT 2**32-1 allocates nothing', () => {
    const before = process.memoryUsage().heapUsed;
    expect(loads(bin('Nr\xff\xff\xff\xff0j\xff\xff\xff\xff.'))).toBeNull();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 << 20);
    refused(bin('j\xfe\xff\xff\xff.'), 'Memo value not found at index 4294967294');
    refused(bin('g4294967294\n.'), 'Memo value not found at index 4294967294');
  });

  it('loads a million levels of nesting without recursion, and refuses to dump it back the same way', () => {
    const n = 1_000_000;
    // EMPTY_LIST x n, then APPEND x (n-1): [[[...]]]
    const input = Buffer.concat([bin('\x80\x04'), Buffer.alloc(n, ']'), Buffer.alloc(n - 1, 'a'), bin('.')]);
    const root = loads(input) as unknown[];
    let v = root;
    let depth = 1;
    while (v.length > 0) {
      v = v[0] as unknown[];
      depth++;
    }
    expect(depth).toBe(n);
    expect(() => dumps(root)).toThrow(
      expect.objectContaining({
        name: 'RecursionError',
        message: 'maximum recursion depth exceeded while pickling an object',
      }),
    );
    // Tuples too: TUPLE1 n times.
    const t = Buffer.concat([bin(')'), Buffer.alloc(n, 0x85), bin('.')]);
    expect(pickle.isTuple(loads(t))).toBe(true);
    // The same nested tuple as a dict key and a set item, many times: checked once.
    const reused = Buffer.concat([
      bin('\x8f'),
      bin(')'),
      Buffer.alloc(200_000, 0x85),
      bin('\x940('),
      Buffer.alloc(200_000 * 2, 'h\x00'),
      bin('\x90.'),
    ]);
    expect((loads(reused) as Set<unknown>).size).toBe(1);
    // A mark stack a million deep, never closed.
    refused(Buffer.concat([Buffer.alloc(n, '('), bin('.')]), 'unexpected MARK found');
  });

  it('refuses every truncation of a valid pickle with an UnpicklingError, in every protocol', () => {
    const pickles = pyDumps(
      [0, 1, 2, 3, 4, 5].map((p) => [
        "[1, -1, 300, 2**40, 2**100, 1.5, 'h\\u00e9', b'ab', bytearray(b'cd'), (1, 2), {'a': {1, 2}}, frozenset({3}), None, True]",
        p,
      ]),
    );
    for (const p of pickles) {
      for (let i = 0; i < p.length; i++) refused(p.subarray(0, i), /truncated|Ran out of input|underflow|MARK/);
    }
  });

  it('refuses corrupt structure: wrong targets, odd items, unhashable keys, bad memo', () => {
    refused(bin(')(N\x90.'), "'tuple' object has no attribute 'add'"); // ADDITEMS on a tuple
    refused(bin('(\x91(N\x90.'), "'frozenset' object has no attribute 'add'");
    refused(bin(')Na.'), "'tuple' object has no attribute 'append'");
    refused(bin('}Na.'), "'dict' object has no attribute 'append'");
    refused(bin(')NNs.'), "'tuple' object does not support item assignment");
    refused(bin('}(Nu.'), 'odd number of items for SETITEMS');
    refused(bin('(Nd.'), 'odd number of items for DICT');
    refused(bin('}]Ns.'), "unhashable type: 'list'");
    refused(bin('}}Ns.'), "unhashable type: 'dict'");
    refused(bin('\x8f(\x8f\x90.'), "unhashable type: 'set'");
    refused(bin('\x8f(]\x85\x90.'), "unhashable type: 'list'");
    refused(bin('\x8f(\x96\x01\x00\x00\x00\x00\x00\x00\x00a\x90.'), "unhashable type: 'bytearray'");
    refused(bin('h\x00.'), 'Memo value not found at index 0');
    refused(bin('\x94.'), 'unpickling stack underflow');
    refused(bin('\x8c\x01a\x8c\x01b\x8c\x01c\x93.'), "global 'b.c' is forbidden");
    refused(bin('K\x01K\x02\x93.'), 'STACK_GLOBAL requires str');
    refused(bin('\x80\x06N.'), 'unsupported pickle protocol: 6');
  });

  it('keeps the dumps side safe too: what loads accepts, dumps gives back unchanged', () => {
    const [p] = pyDumps([["[bytearray(b'x'), {1, 2}, frozenset(), b'', b'y' * 3]", 2]]);
    const v = loads(p);
    expect(loads(dumps(v, 2))).toEqual(v);
  });
});
