// IAM account-level actions: the credential report, the account alias and the account summary.
import { generateCredentialReport, getCredentialReport } from '../../credential-report.js';
import { el, isoTime, members, raw, xmlEscape } from '../../protocols/query.js';
import type { EmuRequestContext, QueryAction, QueryParams } from '../../service.js';
import { accountOf } from './lookups.js';
import { paginate } from './paging.js';

function generateCredentialReportAction(_params: QueryParams, ctx: EmuRequestContext): string {
  const result = generateCredentialReport(accountOf(ctx), ctx.now);
  return el('State', result.state) + el('Description', result.description);
}

function getCredentialReportAction(_params: QueryParams, ctx: EmuRequestContext): string {
  const report = getCredentialReport(accountOf(ctx), ctx.now);
  return (
    el('Content', Buffer.from(report.csv, 'utf8').toString('base64')) +
    el('ReportFormat', 'text/csv') +
    el('GeneratedTime', isoTime(report.generatedTime))
  );
}

function listAccountAliases(params: QueryParams, ctx: EmuRequestContext): string {
  const alias = accountOf(ctx).alias;
  const page = paginate(alias === undefined ? [] : [alias], (a) => a, 'ListAccountAliases', params, ctx);
  return members('AccountAliases', page.items, xmlEscape) + page.xml;
}

function getAccountSummary(_params: QueryParams, ctx: EmuRequestContext): string {
  const account = accountOf(ctx);
  let mfaInUse = 0;
  for (const u of account.users.values()) mfaInUse += u.mfaDevices.length;
  let versions = 0;
  for (const p of account.policies.values()) versions += p.versions.length;
  const summary: [string, number][] = [
    ['Users', account.users.size],
    ['UsersQuota', 5000],
    ['Groups', account.groups.size],
    ['GroupsQuota', 300],
    ['Roles', account.roles.size],
    ['RolesQuota', 1000],
    ['Policies', account.policies.size],
    ['PoliciesQuota', 1500],
    ['MFADevices', mfaInUse],
    ['MFADevicesInUse', mfaInUse],
    ['AccountMFAEnabled', 0],
    ['AccountAccessKeysPresent', 0],
    ['AccountSigningCertificatesPresent', 0],
    ['AccessKeysPerUserQuota', 2],
    ['GroupsPerUserQuota', 10],
    ['AttachedPoliciesPerUserQuota', 10],
    ['AttachedPoliciesPerGroupQuota', 10],
    ['AttachedPoliciesPerRoleQuota', 10],
    ['PolicySizeQuota', 6144],
    ['PolicyVersionsInUse', versions],
    ['PolicyVersionsInUseQuota', 10000],
    ['VersionsPerPolicyQuota', 5],
    ['ServerCertificates', 0],
    ['ServerCertificatesQuota', 20],
    ['InstanceProfiles', 0],
    ['InstanceProfilesQuota', 1000],
    ['Providers', 0],
    ['UserPolicySizeQuota', 2048],
    ['GroupPolicySizeQuota', 5120],
    ['RolePolicySizeQuota', 10240],
    ['AssumeRolePolicySizeQuota', 2048],
    ['GlobalEndpointTokenVersion', 1],
  ];
  return raw('SummaryMap', summary.map(([k, v]) => raw('entry', el('key', k) + el('value', v))).join(''));
}

export const accountActions: Record<string, QueryAction> = {
  GenerateCredentialReport: generateCredentialReportAction,
  GetCredentialReport: getCredentialReportAction,
  ListAccountAliases: listAccountAliases,
  GetAccountSummary: getAccountSummary,
};
