// mp_process.py, line by line, both sides in Node: the worker is a
// multiprocessing.Process (on os.fork(): it runs synchronous code and
// exits, docs/fork.md) and the tasks go over Pipe().
import { builtins, multiprocessing as mp, pickle, ValueError } from 'pipefork';

const { print, repr } = builtins;
type Task = { id: number; op: string; args: unknown };

function handle(task: Task): unknown {
  const { op, args } = task;
  if (op === 'sum') return (args as (number | bigint)[]).reduce((a, b) => BigInt(a) + BigInt(b), 0n);
  if (op === 'upper') return (args as string[]).map((s) => s.toUpperCase());
  if (op === 'stats') {
    const xs = args as number[];
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return { n: xs.length, mean, range: pickle.tuple([Math.min(...xs), Math.max(...xs)]) };
  }
  if (op === 'bytes') return Buffer.from(args as Buffer).reverse();
  throw new ValueError(`unknown op ${repr(op)}`);
}

function worker(conn: ReturnType<typeof mp.Pipe>[0]): void {
  for (;;) {
    const task = conn.recv() as Task | null;
    if (task === null) break;
    try {
      conn.send({ id: task.id, ok: true, result: handle(task), by: mp.current_process().name });
    } catch (e) {
      conn.send({ id: task.id, ok: false, error: `${(e as Error).name}: ${(e as Error).message}` });
    }
  }
}

const TASKS: Task[] = [
  { id: 1, op: 'sum', args: [1, 2, 3, 2n ** 70n] },
  { id: 2, op: 'upper', args: ['pipe', 'fork', 'naïve'] },
  { id: 3, op: 'stats', args: [1.5, 2.5, 4.25] },
  { id: 4, op: 'bytes', args: Buffer.from([0x00, 0x01, 0xff]) },
  { id: 5, op: 'divide', args: [1, 0] },
];

const [ours, theirs] = mp.Pipe();
const p = new mp.Process({ target: worker, args: [theirs] });
p.start();
theirs.close();
for (const task of TASKS) {
  ours.send(task);
  print(task.op, '->', ours.recv());
}
ours.send(null);
p.join();
print(p.name, 'exited with', p.exitcode);
