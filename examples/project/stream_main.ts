// stream_main.py, line by line: a producer and a consumer joined by one pipe.
import { fileURLToPath } from 'node:url';
import { builtins, os, subprocess, sys } from 'pipefork';

const { print } = builtins;

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const [r, w] = os.pipe();
const producer = new subprocess.Popen([sys.executable, here('./stream_producer.js'), String(w)], { pass_fds: [w] });
const consumer = new subprocess.Popen([sys.executable, here('./stream_consumer.js'), String(r)], { pass_fds: [r] });
// Close our copies, or the consumer never sees end of stream.
os.close(r);
os.close(w);
producer.wait();
consumer.wait();
print('main: producer exited with', producer.returncode);
print('main: consumer exited with', consumer.returncode);
