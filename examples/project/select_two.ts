// select_two.py, line by line: two children's output streamed through one
// selectors loop, each whole line printed with its child's name.
import { Buffer } from 'node:buffer';
import { builtins, os, selectors, subprocess } from 'pipefork';

const { print } = builtins;

const SCRIPT = 'for i in 1 2 3 4 5; do echo "$0 line $i"; sleep 0.02; done';
const children = new Map(
  ['alpha', 'beta'].map((name) => [name, subprocess.Popen(['sh', '-c', SCRIPT, name], { stdout: subprocess.PIPE })]),
);
const sel = selectors.DefaultSelector();
for (const [name, p] of children) sel.register(p.stdout!, selectors.EVENT_READ, name);
const pending = new Map([...children.keys()].map((name) => [name, Buffer.alloc(0)]));
while (sel.get_map()!.size > 0) {
  for (const [key] of sel.select()) {
    const name = key.data as string;
    const chunk = os.read(key.fd, 65536);
    if (chunk.length === 0) {
      sel.unregister(key.fileobj); // end of that child's output
      continue;
    }
    const lines = Buffer.concat([pending.get(name)!, chunk])
      .toString('latin1')
      .split('\n');
    pending.set(name, Buffer.from(lines.pop()!, 'latin1')); // an unfinished line waits for the rest
    for (const line of lines) print(`${name}: ${Buffer.from(line, 'latin1').toString()}`);
  }
}
sel.close();
for (const [name, p] of children) {
  p.stdout!.close();
  print(name, 'exited with', p.wait());
}
