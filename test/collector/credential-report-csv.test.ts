import { describe, it, expect } from '@jest/globals';
import { parseCredentialReportCsv } from '../../src/collector/iam/credential-report-csv.js';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,' +
  'mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,' +
  'access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,' +
  'access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,' +
  'cert_2_last_rotated';

const ROOT =
  '<root_account>,arn:aws:iam::123456789012:root,2014-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,' +
  'not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

describe('parseCredentialReportCsv', () => {
  it('parses users, skips the root row, and maps N/A / no_information to absent', () => {
    const csv = [
      HEADER,
      ROOT,
      'alice,arn:aws:iam::123456789012:user/alice,2020-01-02T03:04:05+00:00,true,2024-06-01T12:00:00+00:00,' +
        '2020-01-02T03:05:00+00:00,N/A,true,true,2021-01-01T00:00:00+00:00,2024-06-02T08:00:00+00:00,eu-west-1,s3,' +
        'false,2022-02-02T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A',
      'bob,arn:aws:iam::123456789012:user/eng/bob,2020-01-02T03:04:05+00:00,true,no_information,' +
        '2020-01-02T03:05:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
    ].join('\n');
    const users = parseCredentialReportCsv(csv);
    expect([...users.keys()]).toEqual([
      'arn:aws:iam::123456789012:user/alice',
      'arn:aws:iam::123456789012:user/eng/bob',
    ]);
    const alice = users.get('arn:aws:iam::123456789012:user/alice');
    expect(alice).toEqual({
      user: 'alice',
      arn: 'arn:aws:iam::123456789012:user/alice',
      userCreationTime: Date.UTC(2020, 0, 2, 3, 4, 5),
      passwordEnabled: true,
      passwordLastUsed: Date.UTC(2024, 5, 1, 12),
      passwordLastChanged: Date.UTC(2020, 0, 2, 3, 5),
      mfaActive: true,
      accessKeys: [
        {
          active: true,
          lastRotated: Date.UTC(2021, 0, 1),
          lastUsedDate: Date.UTC(2024, 5, 2, 8),
          lastUsedRegion: 'eu-west-1',
          lastUsedService: 's3',
        },
        {
          active: false,
          lastRotated: Date.UTC(2022, 1, 2),
          lastUsedDate: undefined,
          lastUsedRegion: undefined,
          lastUsedService: undefined,
        },
      ],
    });
    const bob = users.get('arn:aws:iam::123456789012:user/eng/bob');
    expect(bob?.passwordLastUsed).toBeUndefined();
    expect(bob?.mfaActive).toBe(false);
    expect(bob?.accessKeys[0].lastRotated).toBeUndefined();
  });

  it('accepts CRLF line ends, a trailing newline and quoted fields', () => {
    const row =
      '"a,b",arn:aws:iam::123456789012:user/a\u002cb,2020-01-02T03:04:05+00:00,false,N/A,N/A,N/A,false,' +
      'false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
    const quoted = row.replace('arn:aws:iam::123456789012:user/a,b', '"arn:aws:iam::123456789012:user/a,b"');
    const users = parseCredentialReportCsv(`${HEADER}\r\n${ROOT}\r\n${quoted}\r\n`);
    expect(users.get('arn:aws:iam::123456789012:user/a,b')?.user).toBe('a,b');
  });

  it('recovers unquoted user names and ARNs that contain commas', () => {
    const row =
      'x,y,arn:aws:iam::123456789012:user/x,y,2020-01-02T03:04:05+00:00,false,N/A,N/A,N/A,true,' +
      'false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
    const users = parseCredentialReportCsv(`${HEADER}\n${row}`);
    const entry = users.get('arn:aws:iam::123456789012:user/x,y');
    expect(entry?.user).toBe('x,y');
    expect(entry?.mfaActive).toBe(true);
  });

  it('rejects a report without the needed columns, a short row, or an unreadable date', () => {
    expect(() => parseCredentialReportCsv('user,arn\nalice,arn:aws:iam::123456789012:user/alice')).toThrow(
      /password_enabled/,
    );
    expect(() =>
      parseCredentialReportCsv(`${HEADER}\nalice,arn:aws:iam::123456789012:user/alice,true`),
    ).toThrow(/fields/);
    const bad =
      'alice,arn:aws:iam::123456789012:user/alice,yesterday,false,N/A,N/A,N/A,false,' +
      'false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
    expect(() => parseCredentialReportCsv(`${HEADER}\n${bad}`)).toThrow(/invalid date/);
  });

  it('returns an empty map for a report with only the root row', () => {
    expect(parseCredentialReportCsv(`${HEADER}\n${ROOT}\n`).size).toBe(0);
  });
});
