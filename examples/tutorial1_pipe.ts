// The tutorial's first program, ported line by line from tutorial1_pipe.py.
import { os } from 'pipefork';

const [r, w] = os.pipe();
const input_data = 'hello world!';
os.write(w, Buffer.from(input_data, 'utf-8'));
console.log(os.read(r, input_data.length).toString('utf-8'));
