// Which accounts one replica collects when N replicas share an organization (`--shard K/N`): the accounts
// whose stable hash falls in shard K. The hash is of the account id alone (SHA-256, not the listing order),
// so every replica computes the same split from any view of the organization and each account lands in
// exactly one shard.
import { createHash } from 'node:crypto';

export interface Shard {
  /** 0-based, below count. */
  index: number;
  count: number;
}

/** The shard (0..count-1) a scope (an account id, or the Identity Center scope) belongs to. */
export function shardOf(scope: string, count: number): number {
  const digest = createHash('sha256').update(scope).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count));
}

export function inShard(scope: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(scope, shard.count) === shard.index;
}
