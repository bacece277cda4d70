// producer.py, line by line: """负责写数据"""
import { builtins, os, struct, sys } from 'pipefork';

const { int, print } = builtins;
const writer = os.fdopen(int(sys.argv[1]), 'wb');
const input_data = Buffer.from('hello world!', 'utf-8');
writer.write(struct.pack('<i', input_data.length)); // 小端模式, 低地址存储 b'\x05\x00\x00\x00'
writer.write(input_data);
writer.flush(); // 刷新(写入数据之后必须手动刷新)
print('input data: ', input_data.toString('utf-8'));
