// Clients mask every frame they send, and `ws` unmasks each one on arrival. Node 20 has no
// native unmask of its own, so without `bufferutil` ws runs a JavaScript loop: about 4 us per
// 3.4 KB offer against 0.16 us (docs/benchmarks.md). It is an optional peer of ws, so nothing
// fails when it is missing or its binary does not load: this spec does.
describe('native frame masking (bufferutil, which ws loads when it can)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loadBufferutil = () => require('bufferutil') as { unmask: (buffer: Buffer, mask: Buffer) => void };

  it('loads its compiled unmask', () => {
    expect(Function.prototype.toString.call(loadBufferutil().unmask)).toContain('[native code]');
  });

  it('unmasks as the protocol says: each byte XOR the mask byte at its offset modulo 4', () => {
    const text = Buffer.from(JSON.stringify({ type: 'offer', sdp: 'v=0\r\n'.repeat(100) }));
    const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
    const masked = Buffer.from(text.map((byte, i) => byte ^ mask[i % 4]));
    loadBufferutil().unmask(masked, mask);
    expect(masked.equals(text)).toBe(true);
  });
});
