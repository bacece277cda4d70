// fdopen_roundtrip.py, line by line.
import { builtins, os } from 'pipefork';

const { print } = builtins;

const [r, w] = os.pipe();
const writer = os.fdopen(w, 'wb');
writer.write(Buffer.from('hello world!'));
writer.flush();
const reader = os.fdopen(r, 'rb');
print(reader.read(12)?.toString());
writer.close();
reader.close();
