// rpc_client.py, line by line: sends each word as a request and prints the
// server's response.
import { builtins, type io, os, struct, sys } from 'pipefork';

const { print } = builtins;

function send(f: io.BufferedWriter, data: Uint8Array): void {
  f.write(struct.pack('<i', data.length));
  f.write(data);
  f.flush();
}

function recv(f: io.BufferedReader): Buffer | null {
  const header = f.read(4) as Buffer;
  if (header.length < 4) return null;
  const [n] = struct.unpack('<i', header) as [number];
  return f.read(n) as Buffer;
}

const [resp_fd, req_fd] = [Number.parseInt(sys.argv[1] as string, 10), Number.parseInt(sys.argv[2] as string, 10)];
{
  using requests = os.fdopen(req_fd, 'wb');
  using responses = os.fdopen(resp_fd, 'rb');
  for (const word of ['apple', 'banana', 'cherry']) {
    send(requests, Buffer.from(word));
    const reply = recv(responses) as Buffer;
    print(`client: ${word} -> ${reply.toString()}`);
  }
}
