// A text file on a non-blocking fd with no data: pipefork returns '' from
// read(), read(n) and readline(). CPython agrees for read(n) and readline()
// but its read() raises "TypeError: can't concat NoneType to bytes" (the
// buffered layer's None leaks into TextIOWrapper.read) — a deliberate
// difference, pinned here next to CPython's output.
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

describe('TextIOWrapper on an empty non-blocking pipe', () => {
  it("reads '' where CPython gives '' or, for read(), a TypeError", () => {
    const python = pythonJson<unknown[]>(`${PY_OUTCOME}
r, w = os.pipe(); os.set_blocking(r, False)
f = os.fdopen(r, 'r')
print(json.dumps([outcome(lambda: f.read()), outcome(lambda: f.read(5)), outcome(lambda: f.readline())]))`);
    expect(python).toEqual([
      ['raise', 'TypeError', "can't concat NoneType to bytes", null],
      ['ok', ''],
      ['ok', ''],
    ]);
    const [r, w] = os.pipe();
    os.set_blocking(r, false);
    const f = os.fdopen(r, 'r');
    try {
      const ours = [outcome(() => f.read()), outcome(() => f.read(5)), outcome(() => f.readline())];
      expect(ours).toEqual([['ok', ''], ...python.slice(1)]);
    } finally {
      f.close();
      os.close(w);
    }
  });
});
