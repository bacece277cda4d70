// rpc_server.py, line by line: answers each request with its upper-case form
// until the client hangs up.
import { type io, os, struct, sys } from 'pipefork';

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

const [req_fd, resp_fd] = [Number.parseInt(sys.argv[1] as string, 10), Number.parseInt(sys.argv[2] as string, 10)];
{
  using requests = os.fdopen(req_fd, 'rb');
  using responses = os.fdopen(resp_fd, 'wb');
  for (let request = recv(requests); request !== null; request = recv(requests)) {
    // bytes.upper(): ASCII letters only.
    send(
      responses,
      request.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b)),
    );
  }
}
