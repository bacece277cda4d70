// BufferedRWPair over two pipes and BufferedRandom on a file, against CPython.
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';

describe('BufferedRWPair and BufferedRandom', () => {
  it('BufferedRWPair reads one raw stream and writes another', () => {
    const [r1, w1] = os.pipe();
    const [r2, w2] = os.pipe();
    const pair = new io.BufferedRWPair(new io.FileIO(r1, 'r'), new io.FileIO(w2, 'w'));
    try {
      os.write(w1, Buffer.from('ping\n'));
      expect(pair.readline().toString()).toBe('ping\n');
      pair.write(Buffer.from('pong'));
      pair.flush();
      expect(os.read(r2, 10).toString()).toBe('pong');
      expect([pair.readable(), pair.writable(), pair.closed]).toEqual([true, true, false]);
    } finally {
      pair.close();
      os.close(w1);
      os.close(r2);
    }
    expect(pair.closed).toBe(true);
  });

  it("'r+b' on a regular file is a BufferedRandom that reads and writes", () => {
    const path = `/tmp/pipefork-io-random-${process.pid}`;
    writeFileSync(path, 'hello world');
    try {
      using f = io.open(path, 'r+b');
      expect(f.constructor.name).toBe('BufferedRandom');
      expect(f.seekable()).toBe(true);
      expect(f.tell()).toBe(0);
      f.write(Buffer.from('HELLO'));
      f.flush();
      expect(f.tell()).toBe(5);
      expect(f.read()?.toString()).toBe(' world');
      expect(f.tell()).toBe(11);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
