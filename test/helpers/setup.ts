// Every test proves it leaked no fd and left no zombie child.
import { afterEach, beforeEach, expect } from 'vitest';
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
});
