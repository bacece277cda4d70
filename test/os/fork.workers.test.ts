// V8's background jobs in a forked child (native/fork/workers.h,
// docs/fork.md "Optimized code in the child"): the child optimizes code it
// runs for the first time, on threads of pipefork's own. Each scenario runs
// test/fixtures/fork-optimize.mjs in a plain `node --allow-natives-syntax`,
// whose %ActiveTierIs* say which tier a function runs in.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('../fixtures/fork-optimize.mjs', import.meta.url));

interface WorkerStats {
  hooked: number;
  ready: number;
  reason: string;
  threads: number;
  tasks: number;
}
interface Child {
  status: string;
  ms: number | null;
  stats: WorkerStats;
}

// biome-ignore lint/suspicious/noExplicitAny: each scenario prints its own shape
function run(scenario: string, env: Record<string, string> = {}, timeout = 60_000, arg = ''): any {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', fixture, scenario, arg], {
    encoding: 'utf8',
    timeout,
    env: { ...process.env, PIPEFORK_FORK_WORKERS: '1', ...env },
  });
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`fixture ${scenario} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const optimizedChild = (c: Child) => {
  expect(c.status).toBe('exit 0');
  expect(c.ms).not.toBeNull();
  expect(c.stats.hooked).toBe(1);
  expect(c.stats.threads).toBeGreaterThanOrEqual(1);
  expect(c.stats.tasks).toBeGreaterThanOrEqual(1);
};

describe('os.fork(): V8 background jobs in the child', () => {
  it('a function first run in the child gets optimized (TurboFan or Maglev), as in the parent', () => {
    const { child, parent } = run('tier');
    optimizedChild(child);
    expect(child.stats.reason).toBe('');
    expect(parent.ms).not.toBeNull();
  });

  it('PIPEFORK_FORK_WORKERS=0: the child never optimizes it (what the pool fixes)', () => {
    const { child } = run('off', { PIPEFORK_FORK_WORKERS: '0' });
    expect(child.status).toBe('exit 0');
    expect(child.ms).toBeNull();
    expect(child.stats).toEqual({
      hooked: 0,
      ready: 1,
      threads: 0,
      tasks: 0,
      reason: 'turned off (PIPEFORK_FORK_WORKERS=0)',
    });
  });

  // Another Node line's NodePlatform, simulated: the check made before the
  // first fork fails, and children run as with PIPEFORK_FORK_WORKERS=0.
  it.each([
    ['symbol', "V8's platform is not Node's NodePlatform"],
    ['slot', "NodePlatform's worker-post methods are not where v8-platform.h puts them"],
    ['name', "NodePlatform's worker-post methods are not where v8-platform.h puts them"],
  ])('NodePlatform not as expected (%s): children fall back to no threads for V8 jobs', (kind, reason) => {
    const { simulated, child, parent, after } = run('mismatch', {}, 60_000, kind);
    expect(simulated).toBe(true);
    expect(child.status).toBe('exit 0');
    expect(child.kept).toBe(20);
    expect(child.ms).toBeNull();
    expect(child.stats).toEqual({ hooked: 0, ready: 0, threads: 0, tasks: 0, reason });
    expect(child.grandchild.status).toBe('exit 0');
    expect(child.grandchild.ms).toBeNull();
    expect(child.grandchild.stats.hooked).toBe(0);
    expect(child.grandchild.stats.reason).toBe(reason);
    expect(parent).toMatchObject({ hooked: 0, ready: 0, reason });
    optimizedChild(after);
  });

  it('a child with running pool threads forks a grandchild: both go on optimizing, each on its own threads', () => {
    const { child } = run('nested');
    expect(child.status).toBe('exit 0');
    expect(child.before).not.toBeNull();
    optimizedChild(child.grandchild);
    expect(child.after).not.toBeNull();
    expect(child.stats.hooked).toBe(1);
  });

  it('grandchildren forked while the pool is compiling all allocate, collect, optimize and exit', () => {
    const { child } = run('busy', {}, 60_000);
    expect(child.status).toBe('exit 0');
    expect(child.results).toHaveLength(12);
    for (const g of child.results) {
      expect(g.status).toBe('exit 0');
      expect(g.kept).toBe(20);
      expect(g.ms).not.toBeNull();
    }
  }, 70_000);

  it("the pool's threads block every signal, so signals interrupt the main thread's blocking calls", () => {
    const { child } = run('signals');
    expect(child.status).toBe('exit 0');
    expect(child.ms).not.toBeNull();
    expect(child.threads.length).toBeGreaterThanOrEqual(1);
    expect(child.threads.every((blocked: boolean) => blocked)).toBe(true);
  });
});
