// KeyError: str() is the repr of the key, as CPython's.

import { describe, expect, it } from 'vitest';
import { KeyError, LookupError } from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';

describe('KeyError', () => {
  it('str() is the repr of the key, as CPython builds it', () => {
    const keys = ['k', "it's", 3, null];
    const want = pythonJson<string[]>(`
import json
print(json.dumps([str(KeyError(k)) for k in ['k', "it's", 3, None]] + [str(KeyError())]))`);
    const ours = [...keys.map((k) => new KeyError(k).message), new KeyError().message];
    expect(ours).toEqual(want);
    expect(new KeyError('k')).toBeInstanceOf(LookupError);
  });
});
