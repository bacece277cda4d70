// fdopen_hello.py, line by line (it imports struct and never uses it).
import { builtins, os } from 'pipefork';

const { print } = builtins;
const input_data = Buffer.from('hello world!', 'utf-8');
// if __name__ == '__main__':
const [r, w] = os.pipe();
const writer = os.fdopen(w, 'wb');
writer.write(input_data); // 写入数据
writer.flush(); // 刷新(写入数据之后必须手动刷新)
// writer.close()
const reader = os.fdopen(r, 'rb');
const output_data = reader.read(input_data.length)!; // 读取数据
print(output_data.toString('utf-8'));
// reader.close()
// hello world!
