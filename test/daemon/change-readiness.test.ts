// /readyz with the change consumer, and how a deleted user's key is found, with plain inputs.
import { describe, expect, it } from '@jest/globals';
import { withConsumerReadiness, type ChangeConsumer } from '../../src/daemon/change-consumer.js';
import { knownUserKeys } from '../../src/run/change-apply.js';

const ready = { ready: true, maxStalenessSeconds: 3600, scopes: [] };

describe('change consumer readiness', () => {
  it('stays ready while the consumer polls, and names it once it stopped', () => {
    const consumer = { lastPollAt: 1_000_000 } as ChangeConsumer;
    expect(withConsumerReadiness(ready, consumer, 20, 0, 1_000_000 + 120_000)).toEqual(ready);
    const stale = withConsumerReadiness(ready, consumer, 20, 0, 1_000_000 + 121_000);
    expect(stale).toMatchObject({ ready: false, reason: 'change consumer has not polled for 121 s' });
  });
});

describe('knownUserKeys', () => {
  it('matches a user by name whatever its path, and no other user or account', () => {
    const keys = [
      'arn:aws:iam::111111111111:user/ops/bob',
      'arn:aws:iam::111111111111:user/bobby',
      'arn:aws:iam::111111111111:role/bob',
      'arn:aws:iam::222222222222:user/bob',
    ];
    expect(knownUserKeys(keys, '111111111111', 'bob')).toEqual(['arn:aws:iam::111111111111:user/ops/bob']);
  });
});
