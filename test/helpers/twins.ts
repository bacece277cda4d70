// For the awaitable twins' tests (docs/async.md): a twin takes the blocking
// call's arguments and raises its errors (as rejections), so its errors are
// held next to the blocking call's, which the other tests hold next to
// CPython's.
import { expect } from 'vitest';

/** What a call threw, as [class name, message]; ['ok'] if it did not. */
function thrown(f: () => unknown): string[] {
  try {
    f();
    return ['ok'];
  } catch (e) {
    const err = e as Error;
    return [err.name === 'TypeError' ? 'TypeError' : err.constructor.name, err.message];
  }
}

/**
 * Each case's twin rejects (it never throws synchronously) with the error
 * the blocking call throws: same class, same message.
 */
export async function sameErrors(cases: [blocking: () => unknown, twin: () => Promise<unknown>][]): Promise<void> {
  const got: string[][] = [];
  const want: string[][] = [];
  for (const [blocking, twin] of cases) {
    want.push(thrown(blocking));
    let p: Promise<unknown>;
    try {
      p = twin();
    } catch (e) {
      got.push(['threw synchronously', String(e)]);
      continue;
    }
    got.push(
      await p.then(
        () => ['ok'],
        (e) => [(e as Error).name === 'TypeError' ? 'TypeError' : (e as Error).constructor.name, (e as Error).message],
      ),
    );
  }
  expect(got).toEqual(want);
}

/** Resolves after ms; for "still pending after a while" checks. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether p has settled within ms. */
export async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await sleep(ms);
  return done;
}
