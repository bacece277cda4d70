// stream_consumer.py, line by line: reads length-prefixed messages from the pipe fd
// given on the command line until the producer closes its end.
import { builtins, os, struct, sys } from 'pipefork';

const { print } = builtins;

const fd = Number.parseInt(sys.argv[1] as string, 10);
{
  using inp = os.fdopen(fd, 'rb');
  for (;;) {
    const header = inp.read(4) as Buffer;
    if (header.length < 4) break;
    const [n] = struct.unpack('<i', header) as [number];
    const data = inp.read(n) as Buffer;
    print('consumer: got', data.toString());
  }
}
print('consumer: end of stream');
