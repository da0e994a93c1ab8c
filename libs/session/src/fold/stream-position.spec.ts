import { compareStreamPositions, streamPosition } from './stream-position';

describe(compareStreamPositions.name, () => {
  it('orders by entry time, then entry sequence, then index, numerically', () => {
    const ordered = [streamPosition('99-0', 5), streamPosition('100-0', 0), streamPosition('100-0', 2), streamPosition('100-0', 10), streamPosition('100-1', 0), streamPosition('1000-0', 0)];
    for (let i = 0; i < ordered.length - 1; i++) {
      expect(compareStreamPositions(ordered[i], ordered[i + 1])).toBe(-1);
      expect(compareStreamPositions(ordered[i + 1], ordered[i])).toBe(1);
    }
    expect(compareStreamPositions('5-0/1', '5-0/1')).toBe(0);
  });

  it('refuses what is not a position', () => {
    expect(() => compareStreamPositions('abc', '1-0/0')).toThrow(RangeError);
  });
});
