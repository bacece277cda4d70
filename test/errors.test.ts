// The OSError family: subclass by errno, fields and str() as CPython's.
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionError,
  FileNotFoundError,
  OSError,
  os,
  UnsupportedOperation,
  ValueError,
} from '../lib/index.js';
import { pythonJson } from './helpers/python.js';

describe('OSError', () => {
  it('picks the subclass CPython picks for every errno, with strerror text', () => {
    const errnos = Object.values(constants.errno);
    const want = pythonJson<[string, string, string][]>(`
import json, os
print(json.dumps([[type(OSError(e, os.strerror(e))).__name__, str(OSError(e, os.strerror(e))), os.strerror(e)] for e in ${JSON.stringify(errnos)}]))`);
    const ours = errnos.map((e) => {
      const err = new OSError(e, os.strerror(e));
      return [err.constructor.name, err.message, os.strerror(e)];
    });
    expect(ours).toEqual(want);
  });

  it('str() and fields, as CPython builds them', () => {
    const want = pythonJson<unknown[]>(`
import json
es = [OSError(5), OSError(5, 'x'), OSError(2, 'No such file', 'f'), OSError(2, 'x', 'a', None, 'b'), OSError('a', 'b', 'c'), OSError()]
print(json.dumps([[str(e), e.errno, e.strerror, e.filename, e.filename2] for e in es]))`);
    const es = [
      new OSError(5),
      new OSError(5, 'x'),
      new OSError(2, 'No such file', 'f'),
      new OSError(2, 'x', 'a', null, 'b'),
      new OSError('a', 'b', 'c'),
      new OSError(),
    ];
    expect(es.map((e) => [e.message, e.errno, e.strerror, e.filename, e.filename2])).toEqual(want);
  });

  it('carries Node-style code and syscall, and Python names in String(err)', () => {
    try {
      os.close(-1);
      expect.unreachable();
    } catch (e) {
      const err = e as OSError;
      expect(err).toBeInstanceOf(OSError);
      expect(err.errno).toBe(9);
      expect(err.code).toBe('EBADF');
      expect(err.syscall).toBe('close');
      expect(String(err)).toBe('OSError: [Errno 9] Bad file descriptor');
    }
    expect(String(new OSError(2, 'No such file or directory', 'nosuch'))).toBe(
      "FileNotFoundError: [Errno 2] No such file or directory: 'nosuch'",
    );
  });

  it('has the CPython class tree', () => {
    expect(new BrokenPipeError(32, 'x')).toBeInstanceOf(ConnectionError);
    expect(new BrokenPipeError(32, 'x')).toBeInstanceOf(OSError);
    expect(new OSError(11, 'x')).toBeInstanceOf(BlockingIOError);
    expect(new OSError(2, 'x')).toBeInstanceOf(FileNotFoundError);
    // io.UnsupportedOperation is both an OSError and a ValueError.
    const u = new UnsupportedOperation('not readable');
    expect(u).toBeInstanceOf(OSError);
    expect(u).toBeInstanceOf(ValueError);
    expect(u.message).toBe('not readable');
    expect(new ValueError('x')).not.toBeInstanceOf(OSError);
    expect(new OSError(1, 'x')).not.toBeInstanceOf(ValueError);
  });
});
