// The tutorial's third program (main.py), line by line: a producer and a
// consumer joined by one pipe. main makes the pipe, hands each child its end
// by number, and waits.
import { fileURLToPath } from 'node:url';
import { os, subprocess, sys } from 'pipefork';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const [r, w] = os.pipe();
const producer = new subprocess.Popen([sys.executable, here('./producer.js'), String(w)], { pass_fds: [w] });
const consumer = new subprocess.Popen([sys.executable, here('./consumer.js'), String(r)], { pass_fds: [r] });
// Close our copies, or the consumer never sees end of stream.
os.close(r);
os.close(w);
producer.wait();
consumer.wait();
console.log(`main: producer exited with ${producer.returncode}`);
console.log(`main: consumer exited with ${consumer.returncode}`);
