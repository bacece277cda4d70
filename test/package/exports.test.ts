// What the package exports: only Python names (and pipefork's own few).

import { describe, expect, it } from 'vitest';
import * as pipefork from '../../lib/index.js';

describe('the public surface', () => {
  it('keeps internal helpers out: only Python names, and os._exit as in Python', () => {
    expect(
      Object.keys(pipefork).filter(
        (k) => /^[a-z_]/.test(k) && typeof (pipefork as Record<string, unknown>)[k] === 'function',
      ),
    ).toEqual([]);
    expect(Object.keys(pipefork.os).filter((k) => k.startsWith('_'))).toEqual(['_exit']);
  });
});
