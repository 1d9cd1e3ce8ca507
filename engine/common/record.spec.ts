import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { recordSizeBytes, utf8Length } from './record.ts';
import { utf8 } from '../producer/partition-for-key.ts';

describe('record sizes', () => {
  it('utf8Length equals TextEncoder length for any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => utf8Length(s) === utf8(s).length));
  });

  it('key "k1", value "hello", no headers: 14 bytes as in DefaultRecord.sizeInBytes', () => {
    // body: attributes 1 + offsetDelta 1 + timestampDelta 1 + (1 + 2) key + (1 + 5) value + 1 header count = 13
    expect(recordSizeBytes({ key: 'k1', value: 'hello' })).toBe(1 + 13);
  });

  it('null key and null value each cost one varint byte', () => {
    expect(recordSizeBytes({ key: null, value: null })).toBe(1 + 3 + 1 + 1 + 1);
  });

  it('value of 63 vs 64 bytes: the length varint grows to 2 bytes (zigzag 128)', () => {
    const small = recordSizeBytes({ key: null, value: 'x'.repeat(63) });
    const large = recordSizeBytes({ key: null, value: 'x'.repeat(64) });
    // 63 → zigzag 126 (1 byte); 64 → zigzag 128 (2 bytes): one more value byte and one more length byte
    expect(large - small).toBe(2);
  });

  it('headers add key and value with their length varints', () => {
    const plain = recordSizeBytes({ key: 'k', value: 'v' });
    const withHeader = recordSizeBytes({ key: 'k', value: 'v', headers: [{ key: 'trace', value: 'ab' }] });
    expect(withHeader - plain).toBe(1 + 5 + 1 + 2);
  });
});
