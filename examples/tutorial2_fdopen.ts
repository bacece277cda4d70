// The tutorial's second program, ported line by line from tutorial2_fdopen.py.
import { os } from 'pipefork';

const [r, w] = os.pipe();
const writer = os.fdopen(w, 'wb');
writer.write(Buffer.from('hello world!'));
writer.flush();
const reader = os.fdopen(r, 'rb');
console.log(reader.read(12)?.toString());
writer.close();
reader.close();
