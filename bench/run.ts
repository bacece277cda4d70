// `npm run bench`: every benchmark, one after the other. Each prints its
// figures side by side with its C and CPython baselines (see BENCHMARKS.md).
import { main as asyncTwins } from './async.js';
import { main as fork } from './fork.js';
import { main as io } from './io.js';
import { main as multiprocessing } from './multiprocessing.js';
import { main as os } from './os.js';
import { main as pickle } from './pickle.js';
import { main as processes } from './process.js';
import { main as pyclass } from './pyclass.js';

const only = process.argv.slice(2);
const all: [string, () => Promise<void>][] = [
  ['os', os],
  ['io', io],
  ['process', processes],
  ['fork', fork],
  ['async', asyncTwins],
  ['pickle', pickle],
  ['multiprocessing', multiprocessing],
  ['pyclass', pyclass],
];
for (const [name, run] of all) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n===== ${name} =====`);
  await run();
}
