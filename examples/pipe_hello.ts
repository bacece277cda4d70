// pipe_hello.py, line by line.
import { builtins, os } from 'pipefork';

const { print } = builtins;
const input_data = Buffer.from('hello world!', 'utf-8');
// if __name__ == '__main__': (an ES module run as the program runs its body once)
const [r, w] = os.pipe(); // 创建管道
os.write(w, input_data); // 向管道写入数据
// os.close(w)
// 如果没有数据会进入等待状态(阻塞)
const output_data = os.read(r, input_data.length); // 从管道中读数据
print(output_data.toString('utf-8'));
// os.close(r)
// hello world!
