// pipe_roundtrip.py, line by line.
import { builtins, os } from 'pipefork';

const { print } = builtins;

const [r, w] = os.pipe();
const input_data = 'hello world!';
os.write(w, Buffer.from(input_data, 'utf-8'));
print(os.read(r, input_data.length).toString('utf-8'));
