// server.py, line by line.
import { builtins, os, struct, sys } from 'pipefork';

const { int, print } = builtins;
const reader = os.fdopen(int(sys.argv[1]), 'rb');
const writer = os.fdopen(int(sys.argv[2]), 'wb');
const pid = os.getpid();
const send_info = Buffer.from(`[${pid}]hello client!`, 'utf-8');
const len_data = reader.read(4)!; // int占用4个字节
const recv_bytes = struct.unpack('<i', len_data)[0]!;
const recv_data = reader.read(recv_bytes)!;
print(`pid[${pid}] recv info: ${recv_data.toString()}`);
print(`pid[${pid}] send info: ${send_info.toString()}`);
writer.write(struct.pack('<i', send_info.length)); // 小端模式, 低地址存储 b'\x05\x00\x00\x00'
writer.write(send_info);
writer.flush(); // 刷新(写入数据之后必须手动刷新)
