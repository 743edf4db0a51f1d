// A listing entry without a field AWS always sends fails the listing; it never becomes an empty ARN or an
// epoch-0 CreateDate that would poison the checkpoint.
import { describe, expect, it } from '@jest/globals';
import { IAMClient, type User } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import { identityPages } from '../../src/collector/strategies/identity-pages.js';
import { listedUser } from '../../src/collector/iam/users.js';
import { PolicyDocumentCache } from '../../src/collector/iam/policy-documents.js';
import { silentLogger } from '../../src/log.js';

const ctx = {
  accountId: '123456789012',
  iam: new IAMClient({ region: 'us-east-1' }),
  policies: new PolicyDocumentCache(),
  adminAnalysis: true,
  logger: silentLogger(),
};

const good: User = {
  UserName: 'alice',
  UserId: 'AIDAALICE000000000000',
  Arn: 'arn:aws:iam::123456789012:user/alice',
  Path: '/',
  CreateDate: new Date('2024-01-01T00:00:00Z'),
};

describe('malformed listings', () => {
  it('a listed user lacking CreateDate or Arn is an error naming the field, not a value', () => {
    expect(listedUser(good)).toEqual({ key: good.Arn, name: 'alice', createDate: Date.UTC(2024, 0, 1) });
    expect(() => listedUser({ ...good, CreateDate: undefined })).toThrow('ListUsers: CreateDate is missing');
    expect(() => listedUser({ ...good, Arn: undefined })).toThrow('ListUsers: Arn is missing');
  });

  it('fails the listing with the account and the action, before enriching anyone', async () => {
    let enriched = 0;
    const pages = identityPages(ctx, { shouldEnrich: () => true }, pLimit(2), {
      action: 'iam:ListUsers',
      fetchPage: async () => ({
        IsTruncated: false,
        Users: [good, { ...good, UserName: 'bob', CreateDate: undefined }],
      }),
      itemsOf: (page) => page.Users,
      listed: listedUser,
      enrich: async () => {
        enriched++;
        return { status: 'vanished', key: '', name: '' };
      },
    });
    await expect(pages.next()).rejects.toThrow(/123456789012: iam:ListUsers failed: .*CreateDate is missing/);
    expect(enriched).toBe(0);
  });
});
