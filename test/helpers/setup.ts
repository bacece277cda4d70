// Every test proves it leaked no fd, left no zombie child, and left no
// awaitable wait pending (nothing holds the event loop: lib/posix/ready.ts).
import { afterEach, beforeEach, expect } from 'vitest';
import { readinessState } from '../../lib/posix/ready.js';
import { leakedSince, openFds, zombieChildren } from './leaks.js';

let before: Map<number, string>;
let zombiesBefore: Set<number>;

beforeEach(() => {
  before = openFds();
  zombiesBefore = new Set(zombieChildren());
});

afterEach(() => {
  expect(leakedSince(before), 'fds leaked by this test').toEqual([]);
  expect(
    zombieChildren().filter((p) => !zombiesBefore.has(p)),
    'zombie children left by this test',
  ).toEqual([]);
  const ready = readinessState();
  expect({ pending: ready.pending, referenced: ready.referenced }, 'awaitable waits left pending').toEqual({
    pending: 0,
    referenced: false,
  });
});
