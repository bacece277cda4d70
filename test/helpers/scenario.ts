// Runs the same scenario, step by step, in CPython and in pipefork, and
// returns both outcome lists so a test compares them whole.
import { asPipefork, outcome, PY_OUTCOME, pythonJson } from './python.js';

export interface Step {
  /** Python statement(s) run before the expression (may be empty). */
  pySetup?: string;
  /** A Python expression whose outcome is recorded. */
  py: string;
  /** The pipefork equivalent. */
  js: () => unknown;
}

export function runBoth(steps: Step[], pyPrelude = ''): { python: unknown[]; pipefork: unknown[] } {
  const body = steps
    .map((s) => `${s.pySetup ? `${s.pySetup}\n` : ''}results.append(outcome(lambda: ${s.py}))`)
    .join('\n');
  const python = pythonJson<unknown[]>(
    `${PY_OUTCOME}\nresults = []\n${pyPrelude}\n${body}\nprint(json.dumps(results))`,
  );
  const pipefork = steps.map((s) => outcome(s.js));
  return { python, pipefork };
}

/**
 * runBoth for a list of `[python expression, JS twin]` pairs, with CPython's
 * AttributeErrors as pipefork reports them (asPipefork).
 */
export function runCases(
  cases: readonly (readonly [string, () => unknown])[],
  pyPrelude = '',
): { python: unknown[]; pipefork: unknown[] } {
  const { python, pipefork } = runBoth(
    cases.map(([py, js]) => ({ py, js })),
    pyPrelude,
  );
  return { python: python.map(asPipefork), pipefork };
}
