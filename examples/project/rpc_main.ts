// rpc_main.py, line by line: request and response over two pipes.
import { fileURLToPath } from 'node:url';
import { builtins, os, subprocess, sys } from 'pipefork';

const { print } = builtins;

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const [req_r, req_w] = os.pipe(); // client -> server
const [resp_r, resp_w] = os.pipe(); // server -> client
const server = new subprocess.Popen([sys.executable, here('./rpc_server.js'), String(req_r), String(resp_w)], {
  pass_fds: [req_r, resp_w],
});
const client = new subprocess.Popen([sys.executable, here('./rpc_client.js'), String(resp_r), String(req_w)], {
  pass_fds: [resp_r, req_w],
});
for (const fd of [req_r, req_w, resp_r, resp_w]) {
  os.close(fd);
}
client.wait();
server.wait();
print('main2: client exited with', client.returncode, 'and server with', server.returncode);
