// Where an event belongs in a bucket: the account the identity lives in and the UTC day of its `time`,
// and the object keys built from them. Pure.
import { eventAccountUid, eventTime, type OutboundEvent } from '../sink.js';

export interface Partition {
  /** The account the identity lives in (cloud.account.uid). */
  account: string;
  /** UTC day of the event's time, YYYYMMDD. */
  day: string;
}

/** YYYYMMDD of an epoch-ms time, in UTC. */
export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The event's partition, or why it has none (a missing account or time is a bug upstream, never guessed). */
export function partitionOf(event: Readonly<Record<string, unknown>>): Partition | string {
  return outboundPartition({ event });
}

/** The partition of an event on its way to a sink (its time and account read as eventTime says). */
export function outboundPartition(
  e: Pick<OutboundEvent, 'event' | 'time' | 'accountUid'>,
): Partition | string {
  const account = eventAccountUid(e);
  if (typeof account !== 'string' || !/^[A-Za-z0-9_-]+$/.test(account)) {
    return `cloud.account.uid must name the account (got ${JSON.stringify(account)})`;
  }
  const time = eventTime(e);
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    return `time must be epoch milliseconds (got ${JSON.stringify(time)})`;
  }
  return { account, day: utcDay(time) };
}

/** Hive-style partition folders, as Athena, Glue and Security Lake read them. */
export function partitionPath(p: Partition): string {
  return `accountId=${p.account}/eventDay=${p.day}/`;
}

/** Amazon Security Lake's layout for a custom source. */
export function securityLakeKey(
  sourceName: string,
  region: string,
  p: Partition,
  objectName: string,
): string {
  return `ext/${sourceName}/region=${region}/${partitionPath(p)}${objectName}`;
}

/** The s3 sink's layout: the configured prefix (a folder), then the partitions. */
export function prefixedKey(prefix: string, p: Partition, objectName: string): string {
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${folder}${partitionPath(p)}${objectName}`;
}
