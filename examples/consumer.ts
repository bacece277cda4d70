// consumer.py, line by line: """负责读数据"""
import { builtins, os, struct, sys } from 'pipefork';

const { int, print } = builtins;
const reader = os.fdopen(int(sys.argv[1]), 'rb');
const len_data = reader.read(4)!; // int占用4个字节
const recv_bytes = struct.unpack('<i', len_data)[0]!;
const output_data = reader.read(recv_bytes)!;
print('output data: ', output_data.toString('utf-8'));
