// Popen in text mode (text / universal_newlines / encoding / errors): the
// pipes are io.TextIOWrapper objects and communicate() decodes with
// universal newlines, as CPython does.
import { describe, expect, it } from 'vitest';
import { subprocess, UnicodeDecodeError } from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';

const { PIPE } = subprocess;

describe('Popen text_mode, universal_newlines and encoding', () => {
  it("hold CPython's values", () => {
    const options: [string, subprocess.PopenOptions][] = [
      ['', {}],
      ['text=True', { text: true }],
      ["encoding='utf-8'", { encoding: 'utf-8' }],
      ["errors='strict'", { errors: 'strict' }],
      ['universal_newlines=True', { universal_newlines: true }],
      ['universal_newlines=False', { universal_newlines: false }],
      ['text=False', { text: false }],
      ["text=False, encoding='latin-1'", { text: false, encoding: 'latin-1' }],
    ];
    const pyOut = pythonJson(
      `import json, subprocess\nout = []\nfor kw in [${options.map(([k]) => `dict(${k})`).join(', ')}]:\n  p = subprocess.Popen(['true'], **kw); p.wait()\n  out.append([p.text_mode, p.universal_newlines, p.encoding, p.errors])\nprint(json.dumps(out))`,
    );
    const js = options.map(([, o]) => {
      const p = new subprocess.Popen(['true'], o);
      p.wait();
      return [p.text_mode, p.universal_newlines, p.encoding, p.errors];
    });
    expect(js).toEqual(pyOut);
    expect(js[1]).toEqual([true, true, 'UTF-8', null]);
    expect(js[2]).toEqual(['utf-8', 'utf-8', 'utf-8', null]);
  });

  it('setting universal_newlines sets text_mode to its truth', () => {
    const p = new subprocess.Popen(['true'], { encoding: 'utf-8' });
    p.wait();
    p.universal_newlines = 0 as unknown as boolean;
    expect([p.text_mode, p.universal_newlines]).toEqual([false, false]);
  });
});

describe('text mode', () => {
  it('communicate encodes str input and decodes output with universal newlines', () => {
    const p = new subprocess.Popen(['cat'], { stdin: PIPE, stdout: PIPE, text: true });
    expect(p.communicate('héllo\r\nworld\rend')).toEqual(['héllo\nworld\nend', null]);
  });

  it('encoding and errors', () => {
    expect(subprocess.check_output(['printf', 'a\\303\\251b'], { encoding: 'latin-1' })).toBe('aÃ©b');
    expect(subprocess.check_output(['printf', 'a\\377b'], { errors: 'replace' })).toBe('a\ufffdb');
    expect(() => subprocess.check_output(['printf', 'a\\377b'], { text: true })).toThrow(
      new UnicodeDecodeError('utf-8', Buffer.from('a\xffb', 'latin1'), 1, 2, 'invalid start byte'),
    );
  });

  it('run(input=str, text=True, capture_output=True)', () => {
    const r = subprocess.run(['cat'], { input: 'x\r\ny', text: true, capture_output: true });
    expect([r.stdout, r.stderr]).toEqual(['x\ny', '']);
  });

  it('universal_newlines=True with bufsize=1: line-buffered TextIOWrapper pipes', () => {
    using p = new subprocess.Popen(['cat'], { stdin: PIPE, stdout: PIPE, universal_newlines: true, bufsize: 1 });
    const stdin = p.stdin as unknown as {
      write(s: string): number;
      line_buffering: boolean;
      constructor: { name: string };
    };
    expect(stdin.constructor.name).toBe('TextIOWrapper');
    expect(stdin.line_buffering).toBe(true);
    expect(stdin.write('ab\n')).toBe(3);
    expect((p.stdout as unknown as { readline(): string }).readline()).toBe('ab\n');
  });

  it('TimeoutExpired keeps bytes even in text mode, and the retry decodes', () => {
    const p = new subprocess.Popen(['sh', '-c', 'printf partial; sleep 1'], { stdout: PIPE, text: true });
    try {
      p.communicate(null, { timeout: 0.2 });
      expect.unreachable();
    } catch (e) {
      expect((e as subprocess.TimeoutExpired).output).toEqual(Buffer.from('partial'));
    }
    p.kill();
    expect(p.communicate()).toEqual(['partial', null]);
  });
});
