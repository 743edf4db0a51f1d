import { describe, expect, it } from '@jest/globals';
import { ScopeTally } from '../../src/run/scope-summary.js';

const clean = { interrupted: false, deliveryFailed: false };

describe('ScopeTally', () => {
  it('succeeds only without problems, and carries its counts', () => {
    const tally = new ScopeTally('111111111111', '111111111111');
    tally.add('usersSeen', 3);
    tally.add('eventsSent');
    const outcome = tally.finish(clean);
    expect(outcome.summary).toEqual({
      scope: '111111111111',
      accountId: '111111111111',
      status: 'succeeded',
      usersSeen: 3,
      usersCollected: 0,
      eventsSent: 1,
      failedUsers: 0,
      deletions: 0,
      deadLetters: 0,
    });
    expect(outcome.errors).toEqual([]);
  });

  it('puts the listing error first and names how many more problems there were', () => {
    const tally = new ScopeTally('s', 'a');
    tally.problem('alice: GetUser failed: Throttling');
    const outcome = tally.finish({ ...clean, listingError: 'ListUsers: AccessDenied' });
    expect(outcome.summary.status).toBe('failed');
    expect(outcome.summary.error).toBe('ListUsers: AccessDenied (and 1 more)');
    expect(outcome.errors).toEqual(['s: ListUsers: AccessDenied', 's: alice: GetUser failed: Throttling']);
  });

  it('reports an interruption as such, and a failed delivery as a failure', () => {
    expect(new ScopeTally('s', 'a').finish({ ...clean, interrupted: true }).summary.status).toBe(
      'interrupted',
    );
    expect(new ScopeTally('s', 'a').finish({ ...clean, deliveryFailed: true }).summary.status).toBe('failed');
  });

  it('caps the problems passed to the run at 20 and counts the rest', () => {
    const tally = new ScopeTally('s', 'a');
    for (let i = 0; i < 25; i++) tally.problem(`p${i}`);
    const { errors, summary } = tally.finish(clean);
    expect(errors).toHaveLength(21);
    expect(errors[19]).toBe('s: p19');
    expect(errors[20]).toBe('s: ... 5 more problems');
    expect(summary.error).toBe('p0 (and 24 more)');
  });

  it('keeps each distinct validation error once, with the first identity it was seen on', () => {
    const tally = new ScopeTally('s', 'a');
    tally.invalidEvent('k1', ['/user/uid: missing', '/time: must be integer']);
    tally.invalidEvent('k2', ['/time: must be integer']);
    const outcome = tally.finish(clean);
    expect(outcome.validationErrors).toEqual(
      new Map([
        ['/user/uid: missing', 'k1'],
        ['/time: must be integer', 'k1'],
      ]),
    );
    expect(outcome.errors).toEqual(['s: invalid OCSF event for k1', 's: invalid OCSF event for k2']);
  });
});
