// File objects nobody closed: when collected they are flushed and closed,
// as CPython's finalizer (iobase_finalize -> close()) does, with its
// ResourceWarning when warnings are on; and never write to or close an fd
// number that was closed behind their back and has been reused since,
// which CPython does (pinned below). Each case runs in a child Node with
// --expose-gc, next to the same program in CPython where it has one.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PIPEFORK, runPython } from '../helpers/program.js';

/** Runs an ES module under `node --expose-gc`; `collect()` in it runs gc() until finalizers have run. */
function runGc(code: string, env: Record<string, string> = {}): { stdout: string; stderr: string; status: number } {
  const prelude = `
    import { readdirSync } from 'node:fs';
    const fdCount = () => readdirSync('/proc/self/fd').length;
    async function collect() {
      for (let i = 0; i < 6; i++) {
        globalThis.gc();
        await new Promise((r) => setImmediate(r));
      }
    }
  `;
  const env2: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('PYTHONWARNINGS' in env)) delete env2.PYTHONWARNINGS;
  if (!('PYTHONDEVMODE' in env)) delete env2.PYTHONDEVMODE;
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--input-type=module', '-e', prelude + code.replaceAll('PIPEFORK', PIPEFORK)],
    { encoding: 'utf8', env: env2, timeout: 60_000 },
  );
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`node failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

describe('file objects collected without close()', () => {
  it('2,000 dropped fdopen pairs leave no fd open once collected (CPython: none either)', () => {
    const js = runGc(`
      import { os } from 'PIPEFORK';
      for (const mode of ['b', 't']) {
        const before = fdCount();
        for (let i = 0; i < 2000; i++) {
          const [r, w] = os.pipe();
          if (mode === 'b') { os.fdopen(r, 'rb'); os.fdopen(w, 'wb').write(Buffer.from('x')); }
          else { os.fdopen(r, 'r'); os.fdopen(w, 'w').write('x'); }
        }
        const dropped = fdCount() - before;
        await collect();
        console.log(mode, dropped, fdCount() - before);
      }
    `);
    expect(lines(js.stdout)).toEqual(['b 4000 0', 't 4000 0']);
    const py = runPython(`
import os
for mode in 'bt':
    before = len(os.listdir('/proc/self/fd'))
    for i in range(2000):
        r, w = os.pipe()
        if mode == 'b': os.fdopen(r, 'rb'); os.fdopen(w, 'wb').write(b'x')
        else: os.fdopen(r, 'r'); os.fdopen(w, 'w').write('x')
    print(mode, len(os.listdir('/proc/self/fd')) - before)
`);
    expect(lines(py.stdout)).toEqual(['b 0', 't 0']);
    expect(js.stderr).toBe('');
  });

  it('pending bytes are flushed before the fd is closed; closefd=False flushes and does not close', () => {
    const js = runGc(`
      import { os } from 'PIPEFORK';
      let [r, w] = os.pipe();
      (() => { os.fdopen(w, 'wb').write(Buffer.from('binary ')); })();
      await collect();
      console.log(JSON.stringify(String(os.read(r, 100))));
      os.close(r);
      [r, w] = os.pipe();
      (() => { os.fdopen(w, 'w').write('text é'); })();
      await collect();
      console.log(JSON.stringify(String(os.read(r, 100))), JSON.stringify(String(os.read(r, 100))));
      os.close(r);
      [r, w] = os.pipe();
      (() => { os.fdopen(w, 'w', { closefd: false }).write('kept open'); })();
      await collect();
      console.log(JSON.stringify(String(os.read(r, 100))));
      os.write(w, Buffer.from('still mine'));
      console.log(JSON.stringify(String(os.read(r, 100))));
      os.close(r);
      os.close(w);
    `);
    const py = runPython(`
import os, gc, json
r, w = os.pipe()
os.fdopen(w, 'wb').write(b'binary ')
gc.collect()
print(json.dumps(os.read(r, 100).decode(), ensure_ascii=False))
os.close(r)
r, w = os.pipe()
os.fdopen(w, 'w').write('text é')
gc.collect()
print(json.dumps(os.read(r, 100).decode(), ensure_ascii=False), json.dumps(os.read(r, 100).decode(), ensure_ascii=False))
os.close(r)
r, w = os.pipe()
os.fdopen(w, 'w', closefd=False).write('kept open')
gc.collect()
print(json.dumps(os.read(r, 100).decode(), ensure_ascii=False))
os.write(w, b'still mine')
print(json.dumps(os.read(r, 100).decode(), ensure_ascii=False))
`);
    expect(lines(js.stdout)).toEqual(lines(py.stdout));
    expect(lines(js.stdout)).toEqual(['"binary "', '"text é" ""', '"kept open"', '"still mine"']);
  });

  it('a collected TextIOWrapper closes the buffer it was given (as CPython); detach() keeps it open', () => {
    const scenario = (lang: 'js' | 'py') =>
      lang === 'js'
        ? `
      import { io, os } from 'PIPEFORK';
      const [r, w] = os.pipe();
      const b = io.open(w, 'wb');
      (() => { new io.TextIOWrapper(b).write('via text'); })();
      await collect();
      console.log(b.closed, JSON.stringify(String(os.read(r, 100))));
      const [r2, w2] = os.pipe();
      const b2 = io.open(w2, 'wb');
      (() => { const t = new io.TextIOWrapper(b2); t.write('detached'); t.detach(); })();
      await collect();
      b2.flush();
      console.log(b2.closed, JSON.stringify(String(os.read(r2, 100))));
      b2.close(); os.close(r); os.close(r2);
    `
        : `
import io, os, gc, json
r, w = os.pipe()
b = io.open(w, 'wb')
io.TextIOWrapper(b).write('via text')
gc.collect()
print('true' if b.closed else 'false', json.dumps(os.read(r, 100).decode(), ensure_ascii=False))
r2, w2 = os.pipe()
b2 = io.open(w2, 'wb')
t = io.TextIOWrapper(b2); t.write('detached'); t.detach(); del t
gc.collect()
b2.flush()
print('true' if b2.closed else 'false', json.dumps(os.read(r2, 100).decode(), ensure_ascii=False))
`;
    expect(lines(runGc(scenario('js')).stdout)).toEqual(lines(runPython(scenario('py')).stdout));
  });

  it('a dropped Popen closes its pipes', () => {
    const js = runGc(`
      import { subprocess } from 'PIPEFORK';
      const before = fdCount();
      const start = () => {
        const p = new subprocess.Popen(['true'], { stdin: subprocess.PIPE, stdout: subprocess.PIPE, stderr: subprocess.PIPE });
        p.wait();
      };
      for (let i = 0; i < 50; i++) start();
      await collect();
      console.log(fdCount() - before);
    `);
    expect(lines(js.stdout)).toEqual(['0']);
  });
});

describe('file objects collected without close(): an fd closed behind their back', () => {
  // CPython's finalizer writes the pending bytes into whatever file now has
  // the number, and closes it: pinned here, as the hazard pipefork avoids.
  it('os.close(fd), then os.open() reuses the number: CPython writes into the new file and closes it; pipefork neither', () => {
    const py = runPython(`
import os, gc, tempfile
path = tempfile.mktemp()
r, w = os.pipe()
f = os.fdopen(w, 'wb'); f.write(b'SECRET'); os.close(w)
fd2 = os.open(path, os.O_WRONLY | os.O_CREAT)
print(fd2 == w)
del f; gc.collect()
print(repr(open(path, 'rb').read()))
try: os.fstat(fd2); print('open')
except OSError as e: print('closed', e.errno)
os.unlink(path)
`);
    expect(lines(py.stdout)).toEqual(['True', "b'SECRET'", 'closed 9']);
    const js = runGc(`
      import { os } from 'PIPEFORK';
      import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
      const dir = mkdtempSync('/tmp/pipefork-fin-');
      const path = dir + '/f';
      const [r, w] = os.pipe();
      (() => { const f = os.fdopen(w, 'wb'); f.write(Buffer.from('SECRET')); os.close(w); })();
      const fd2 = os.open(path, os.O_WRONLY | os.O_CREAT);
      console.log(fd2 === w);
      await collect();
      console.log(JSON.stringify(readFileSync(path, 'latin1')));
      try { os.fstat(fd2); console.log('open'); } catch (e) { console.log('closed', e.errno); }
      os.close(fd2); os.close(r); rmSync(dir, { recursive: true });
    `);
    expect(lines(js.stdout)).toEqual(['true', '""', 'open']);
  });

  it("closed and reopened by Node's fs (not through pipefork): the device and inode tell them apart", () => {
    const js = runGc(`
      import { os } from 'PIPEFORK';
      import { closeSync, openSync, readFileSync, mkdtempSync, rmSync, fstatSync } from 'node:fs';
      const dir = mkdtempSync('/tmp/pipefork-fin-');
      const [r, w] = os.pipe();
      (() => { const f = os.fdopen(w, 'w'); f.write('SECRET'); closeSync(w); })();
      const fd2 = openSync(dir + '/f', 'w');
      console.log(fd2 === w);
      await collect();
      console.log(JSON.stringify(readFileSync(dir + '/f', 'latin1')));
      fstatSync(fd2); console.log('open');
      closeSync(fd2); os.close(r); rmSync(dir, { recursive: true });
    `);
    expect(lines(js.stdout)).toEqual(['true', '""', 'open']);
  });

  it('dup2() onto the fd, closerange() over it, a pipe taking its number: nothing is written or closed', () => {
    const js = runGc(`
      import { os } from 'PIPEFORK';
      const out = [];
      // dup2 onto w: w is now the second pipe's write end.
      let [r, w] = os.pipe();
      let [r2, w2] = os.pipe();
      (() => { const f = os.fdopen(w, 'wb'); f.write(Buffer.from('SECRET')); })();
      os.dup2(w2, w);
      await collect();
      os.write(w, Buffer.from('mine'));
      out.push(String(os.read(r2, 100)));
      for (const fd of [r, w, r2, w2]) os.close(fd);
      // closerange over it, then a new pipe gets the number.
      [r, w] = os.pipe();
      (() => { const f = os.fdopen(w, 'wb'); f.write(Buffer.from('SECRET')); })();
      os.closerange(w, w + 1);
      [r2, w2] = os.pipe();
      out.push(r2 === w || w2 === w);
      await collect();
      os.write(w2, Buffer.from('fine'));
      out.push(String(os.read(r2, 100)));
      for (const fd of [r, r2, w2]) os.close(fd);
      console.log(JSON.stringify(out));
    `);
    expect(JSON.parse(js.stdout)).toEqual(['mine', true, 'fine']);
  });

  it('close() after os.close(fd) behind its back is EBADF without closing the number again (CPython: EBADF when not reused)', () => {
    const js = runGc(`
      import { os, OSError } from 'PIPEFORK';
      const [r, w] = os.pipe();
      const f = os.fdopen(w, 'wb');
      os.close(w);
      const [r2, w2] = os.pipe(); // takes w's number
      try { f.close(); console.log('no error'); } catch (e) { console.log(e.constructor.name, e.errno); }
      os.write(w2, Buffer.from('ok'));
      console.log(w2 === w || r2 === w, String(os.read(r2, 10)));
      for (const fd of [r, r2, w2]) os.close(fd);
    `);
    expect(lines(js.stdout)).toEqual(['OSError 9', 'true ok']);
    const py = runPython(`
import os
r, w = os.pipe()
f = os.fdopen(w, 'wb')
os.close(w)
try: f.close(); print('no error')
except OSError as e: print(type(e).__name__, e.errno)
`);
    expect(lines(py.stdout)).toEqual(['OSError 9']);
  });

  it('the flush at exit does not write into a reused number either (CPython does)', () => {
    const program = (lang: 'js' | 'py', path: string) =>
      lang === 'js'
        ? `import { os } from 'PIPEFORK';
           const [r, w] = os.pipe();
           const f = os.fdopen(w, 'wb'); f.write(Buffer.from('SECRET')); os.close(w);
           globalThis.keep = [f, os.open(${JSON.stringify(path)}, os.O_WRONLY | os.O_CREAT)];`
        : `import os
r, w = os.pipe()
f = os.fdopen(w, 'wb'); f.write(b'SECRET'); os.close(w)
keep = [f, os.open(${JSON.stringify(path)}, os.O_WRONLY | os.O_CREAT)]`;
    const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
    try {
      runGc(program('js', `${dir}/js`));
      runPython(program('py', `${dir}/py`));
      const read = (f: string) => spawnSync('cat', [f], { encoding: 'utf8' }).stdout;
      expect(read(`${dir}/js`)).toBe('');
      expect(read(`${dir}/py`)).toBe('SECRET');
    } finally {
      spawnSync('rm', ['-rf', dir]);
    }
  });
});

describe('ResourceWarning for a file collected unclosed', () => {
  const cases = `
      const [r, w] = os.pipe();
      (() => { os.fdopen(w, 'w'); })();
      await collect();
      (() => { os.fdopen(r, 'rb'); })();
      await collect();
      const [r2, w2] = os.pipe();
      (() => { io.FileIO(r2, 'rb'); })();
      await collect();
      (() => { os.fdopen(w2, 'wb', { closefd: false }); })();
      await collect();
      os.close(w2);
    `;

  it("PYTHONWARNINGS=default: CPython's 'unclosed file <repr>' for each, none for closefd=False", () => {
    const js = runGc(`import { io, os } from 'PIPEFORK';\n${cases.replace('io.FileIO(', 'new io.FileIO(')}`, {
      PYTHONWARNINGS: 'default',
    });
    // The fd numbers differ between the two processes.
    const warnings = lines(js.stderr)
      .filter((l) => l.includes('ResourceWarning'))
      .map((l) => l.replace(/^\(node:\d+\) ResourceWarning: /, '').replace(/name=\d+/, 'name=N'));
    const py = runPython(
      `import io, os, gc
r, w = os.pipe()
os.fdopen(w, 'w'); gc.collect()
os.fdopen(r, 'rb'); gc.collect()
r2, w2 = os.pipe()
io.FileIO(r2, 'rb'); gc.collect()
os.fdopen(w2, 'wb', closefd=False); gc.collect()
os.close(w2)`,
      { env: { PYTHONWARNINGS: 'default' } },
    );
    const pyWarnings = lines(py.stderr)
      .filter((l) => l.includes('ResourceWarning: unclosed'))
      .map((l) => l.replace(/^.*ResourceWarning: /, '').replace(/name=\d+/, 'name=N'));
    expect(pyWarnings).toEqual([
      "unclosed file <_io.TextIOWrapper name=N mode='w' encoding='UTF-8'>",
      'unclosed file <_io.BufferedReader name=N>',
      "unclosed file <_io.FileIO name=N mode='rb' closefd=True>",
    ]);
    expect(warnings).toEqual(pyWarnings);
  });

  it('no warning without it (Python ignores ResourceWarning by default), nor with an ignore filter after', () => {
    for (const env of [{}, { PYTHONWARNINGS: 'default,ignore::ResourceWarning' }] as Record<string, string>[]) {
      const js = runGc(`import { io, os } from 'PIPEFORK';\n${cases.replace('io.FileIO(', 'new io.FileIO(')}`, env);
      expect(js.stderr).toBe('');
    }
  });

  it('PYTHONDEVMODE: a failed flush at collection is reported as "Exception ignored in", as CPython\'s dev mode does', () => {
    const js = runGc(
      `import { os } from 'PIPEFORK';
       const [r, w] = os.pipe();
       os.close(r);
       (() => { os.fdopen(w, 'wb').write(Buffer.from('x')); })();
       await collect();`,
      { PYTHONDEVMODE: '1' },
    );
    expect(js.stderr).toMatch(/unclosed file <_io.BufferedWriter name=\d+>/);
    expect(js.stderr).toMatch(
      /Exception ignored in: <_io.BufferedWriter name=\d+>\nBrokenPipeError: \[Errno 32\] Broken pipe/,
    );
    const py = runPython(
      `import os, gc
r, w = os.pipe()
os.close(r)
os.fdopen(w, 'wb').write(b'x')
gc.collect()`,
      { env: { PYTHONDEVMODE: '1' } },
    );
    expect(py.stderr).toMatch(/Exception ignored in: <_io.BufferedWriter name=\d+>/);
    expect(py.stderr).toMatch(/BrokenPipeError: \[Errno 32\] Broken pipe/);
  });
});
