// stream_producer.py, line by line: writes length-prefixed messages to the pipe fd
// given on the command line.
import { os, struct, sys } from 'pipefork';

const fd = Number.parseInt(sys.argv[1] as string, 10);
{
  using out = os.fdopen(fd, 'wb');
  for (let i = 0; i < 5; i++) {
    const data = Buffer.from(`message ${i} from the producer`);
    out.write(struct.pack('<i', data.length));
    out.write(data);
    out.flush();
  }
}
