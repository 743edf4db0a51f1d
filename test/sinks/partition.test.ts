// Partitions and object keys of the object sinks, from plain inputs.
import { describe, expect, it } from '@jest/globals';
import {
  outboundPartition,
  partitionOf,
  prefixedKey,
  securityLakeKey,
  utcDay,
} from '../../src/sinks/object-store/partition.js';
import { eventAccountUid, eventTime } from '../../src/sinks/sink.js';

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

  it("reads an outbound event's time and account without parsing it back when the run gave them", () => {
    const unparsed = {
      get event(): Record<string, unknown> {
        throw new Error('the event was parsed back');
      },
      time: Date.UTC(2026, 1, 3, 5),
      accountUid: '123456789012',
    };
    expect(outboundPartition(unparsed)).toEqual({ account: '123456789012', day: '20260203' });
    expect([eventTime(unparsed), eventAccountUid(unparsed)]).toEqual([
      Date.UTC(2026, 1, 3, 5),
      '123456789012',
    ]);
    const event = { time: 7, cloud: { account: { uid: '1' } } };
    expect([eventTime({ event }), eventAccountUid({ event })]).toEqual([7, '1']);
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
