import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createEventPreparer } from '../../src/ocsf/event-preparer.js';
import { readStoredEvent } from '../../src/ocsf/stored-event.js';
import { goldenRoot } from './golden.js';

/** Every golden event as it was delivered and stored: with the per-event members golden files leave out. */
function golden(): [string, unknown][] {
  return readdirSync(goldenRoot).flatMap((version) =>
    readdirSync(join(goldenRoot, version))
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, unknown] => {
        const event = JSON.parse(readFileSync(join(goldenRoot, version, f), 'utf8')) as Record<string, any>;
        const metadata = { ...event.metadata, uid: 'evt-1', correlation_uid: 'run-1' };
        return [`${version}/${f}`, { ...event, time: 1_750_000_000_000, metadata }];
      }),
  );
}

function storedCopy(): Record<string, any> {
  const [, event] = golden().find(([name]) => name === '1.8.0/admin-via-group.json')!;
  return structuredClone(event) as Record<string, any>;
}

describe('readStoredEvent', () => {
  it.each(golden())('reads back %s as a UserInventoryEvent', (_name, event) => {
    expect(readStoredEvent(event)).toEqual({ ok: true, event });
  });

  it('names every member that does not fit, with its path', () => {
    const event = storedCopy();
    delete event.metadata;
    event.time = '2025-06-01';
    event.user.account = null;
    event.user.ldap_person = { created_time: 'yesterday' };
    event.unmapped = { aws: [] };
    expect(readStoredEvent(event)).toEqual({
      ok: false,
      errors: [
        '/time: expected number, got string',
        '/metadata: missing',
        '/user/account: expected object, got null',
        '/user/ldap_person/created_time: expected number, got string',
        '/unmapped/aws: expected object, got array',
      ],
    });
  });

  it('refuses what is not a User Inventory Info event at all', () => {
    expect(readStoredEvent('[]')).toEqual({ ok: false, errors: ['/: expected object, got string'] });
    const other = storedCopy();
    other.class_uid = 3002;
    expect(readStoredEvent(other)).toEqual({ ok: false, errors: ['/class_uid: expected 5003, got 3002'] });
  });

  it('lets the preparer turn an unreadable stored event into errors, not an event', () => {
    const preparer = createEventPreparer(
      { version: '1.8.0', event_time: 'collected' },
      { unused_days: 45, rotation_days: 90 },
    );
    const prepared = preparer.deletion({ user: {} }, { collectedAt: 1, runId: 'r', eventId: 'e' });
    expect(prepared.ok).toBe(false);
    expect(prepared.ok ? [] : prepared.errors).toContain('/user/name: missing');
    expect(prepared.event).toEqual({ user: {} });
  });
});
