// mp_parent.py, line by line: a Node parent handing tasks to the Python
// worker (mp_worker.py) over multiprocessing.Pipe(), objects going both ways
// as pickles. The tuple in the answer to 'stats' comes back marked as a
// tuple, and 2**70 as a BigInt.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtins, multiprocessing, subprocess } from 'pipefork';

const { print } = builtins;
const { Pipe } = multiprocessing;

/** examples/project/, where mp_worker.py is (this file runs from dist/examples/project/). */
function sources(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'examples', 'project');
}

const TASKS = [
  { id: 1, op: 'sum', args: [1, 2, 3, 2n ** 70n] },
  { id: 2, op: 'upper', args: ['pipe', 'fork', 'naïve'] },
  { id: 3, op: 'stats', args: [1.5, 2.5, 4.25] },
  { id: 4, op: 'bytes', args: Buffer.from([0x00, 0x01, 0xff]) },
  { id: 5, op: 'divide', args: [1, 0] },
];

const [ours, theirs] = Pipe();
const worker = new subprocess.Popen(['python3', join(sources(), 'mp_worker.py'), String(theirs.fileno())], {
  pass_fds: [theirs.fileno()],
});
theirs.close();
for (const task of TASKS) {
  ours.send(task);
  const answer = ours.recv();
  print(task.op, '->', answer);
}
ours.send(null);
ours.close();
print('worker exited with', worker.wait());
