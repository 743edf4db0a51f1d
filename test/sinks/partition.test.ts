// Partitions and object keys of the object sinks, from plain inputs.
import { describe, expect, it } from '@jest/globals';
import { partitionOf, prefixedKey, securityLakeKey, utcDay } from '../../src/sinks/object-store/partition.js';

describe('object partitions', () => {
  it('takes the UTC day of time and the account of the identity', () => {
    expect(utcDay(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe('20261231');
    expect(utcDay(Date.UTC(2027, 0, 1))).toBe('20270101');
    const event = { time: Date.UTC(2026, 1, 3, 5), cloud: { account: { uid: '123456789012' } } };
    expect(partitionOf(event)).toEqual({ account: '123456789012', day: '20260203' });
  });

  it('names what is missing instead of guessing a partition', () => {
    expect(partitionOf({ time: 1 })).toContain('cloud.account.uid');
    expect(partitionOf({ time: 1, cloud: { account: { uid: '../x' } } })).toContain('cloud.account.uid');
    expect(partitionOf({ cloud: { account: { uid: '1' } } })).toContain('time must be epoch milliseconds');
  });

  it('builds the Security Lake and Hive-style keys', () => {
    const p = { account: '123456789012', day: '20261201' };
    expect(securityLakeKey('iaminv', 'eu-west-1', p, 'u.zstd.parquet')).toBe(
      'ext/iaminv/region=eu-west-1/accountId=123456789012/eventDay=20261201/u.zstd.parquet',
    );
    expect(prefixedKey('', p, 'u.ndjson')).toBe('accountId=123456789012/eventDay=20261201/u.ndjson');
    expect(prefixedKey('inv', p, 'u.ndjson')).toBe('inv/accountId=123456789012/eventDay=20261201/u.ndjson');
    expect(prefixedKey('a/b/', p, 'u')).toBe('a/b/accountId=123456789012/eventDay=20261201/u');
  });
});
