// Using pipefork in a server (docs/async.md, "Using pipefork in a server"):
// an HTTP server whose handlers run programs with the awaitable twins, so
// the event loop keeps serving while children run. Run it with
//   node dist/examples/project/async_server.js
// It starts on a free port, sends itself a few requests, prints what came
// back and how often a 10 ms heartbeat ran meanwhile, and exits.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { streams, subprocess } from 'pipefork';

const server = http.createServer(async (req, res) => {
  // A client that goes away aborts the work done for it.
  const gone = new AbortController();
  res.on('close', () => gone.abort(new Error('client went away')));
  try {
    if (req.url === '/hello') {
      // run() without blocking: output captured, a timeout, an abort.
      const cp = await subprocess.runAsync(['sh', '-c', 'echo "hello from $0"', 'a child'], {
        capture_output: true,
        text: true,
        timeout: 5,
        signal: gone.signal,
      });
      res.end(cp.stdout);
    } else if (req.url === '/count') {
      // A child's output streamed to the client as it comes, with backpressure.
      const p = new subprocess.Popen(['sh', '-c', 'for i in 1 2 3; do echo "line $i"; sleep 0.05; done'], {
        stdout: subprocess.PIPE,
      });
      await pipeline(streams.toReadable(p.stdout!), res);
      await p.waitAsync();
    } else if (req.url === '/upper') {
      // communicate() without blocking: the request body in, the child's output out.
      const body: Buffer[] = [];
      for await (const chunk of req) body.push(chunk as Buffer);
      const p = new subprocess.Popen(['tr', 'a-z', 'A-Z'], { stdin: subprocess.PIPE, stdout: subprocess.PIPE });
      const [out] = await p.communicateAsync(Buffer.concat(body), { signal: gone.signal });
      res.end(out);
    } else {
      res.writeHead(404).end();
    }
  } catch (e) {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(e));
  }
});

let beats = 0;
const heartbeat = setInterval(() => beats++, 10);
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const replies = await Promise.all([
  fetch(`${base}/hello`).then((r) => r.text()),
  fetch(`${base}/count`).then((r) => r.text()),
  fetch(`${base}/upper`, { method: 'POST', body: 'shout this' }).then((r) => r.text()),
]);
for (const reply of replies) process.stdout.write(reply.endsWith('\n') ? reply : `${reply}\n`);
console.log(`heartbeat ran while the children ran: ${beats > 5 ? 'yes' : `only ${beats} times`}`);
clearInterval(heartbeat);
server.close();
