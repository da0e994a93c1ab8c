import { RespCommandWriter, WireCommand } from './wire-command';

describe(RespCommandWriter.name, () => {
  it('writes a command as RESP: strings as UTF-8, Buffers as they are, empty ones too', () => {
    const writer = new RespCommandWriter();
    writer.begin(5);
    writer.argument('XADD');
    writer.argument('sg:ev:{3}');
    writer.argument('é😀');
    writer.argument(Buffer.from([0x5b, 0x00, 0xff, 0x5d]));
    writer.argument('');
    expect(writer.finish()).toEqual(
      Buffer.concat([Buffer.from('*5\r\n$4\r\nXADD\r\n$9\r\nsg:ev:{3}\r\n$6\r\né😀\r\n$4\r\n'), Buffer.from([0x5b, 0x00, 0xff, 0x5d]), Buffer.from('\r\n$0\r\n\r\n')]),
    );
  });

  it('grows for a large argument, and starts each command afresh', () => {
    const writer = new RespCommandWriter();
    const large = Buffer.alloc(300 * 1024, 0x61);
    writer.begin(2);
    writer.argument('SET');
    writer.argument(large);
    const first = writer.finish();
    expect(first.length).toBe('*2\r\n$3\r\nSET\r\n$307200\r\n'.length + large.length + 2);
    expect(first.subarray(-4).toString()).toBe('aa\r\n');
    expect(first.subarray(0, 21).toString()).toBe('*2\r\n$3\r\nSET\r\n$307200\r');

    writer.begin(1);
    writer.argument('PING');
    expect(writer.finish().toString()).toBe('*1\r\n$4\r\nPING\r\n');
  });

  it('shrinks after a command that needed a large buffer, leaving that command as it was', () => {
    const writer = new RespCommandWriter();
    writer.begin(1);
    writer.argument(Buffer.alloc(2 * 1024 * 1024, 0x62));
    writer.finish();
    writer.begin(1);
    writer.argument('small');
    const small = writer.finish();
    // a small command in the 4 MiB buffer: the next command gets a fresh, smaller buffer
    writer.begin(1);
    writer.argument('other');
    const other = writer.finish();
    expect(small.toString()).toBe('*1\r\n$5\r\nsmall\r\n');
    expect(other.toString()).toBe('*1\r\n$5\r\nother\r\n');
    expect(other.buffer).not.toBe(small.buffer);
  });
});

describe(WireCommand.name, () => {
  it('hands ioredis the bytes it was given', () => {
    const wire = Buffer.from('*1\r\n$4\r\nPING\r\n');
    expect(new WireCommand('ping', wire).toWritable()).toBe(wire);
  });
});
