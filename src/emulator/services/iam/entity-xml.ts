// IAM entities as Query-protocol XML, in the member order AWS writes them.
import type { EmuGroup, EmuPolicy, EmuRole, EmuTag, EmuUser } from '../../model.js';
import { el, isoTime, members, raw } from '../../protocols/query.js';
import type { PolicyUsage } from './lookups.js';
import { compareKeys } from './paging.js';

/** Policy documents travel URL-encoded, as AWS returns them. */
export function encodedDocument(json: string): string {
  return encodeURIComponent(json);
}

export function tagsXml(tags: EmuTag[]): string {
  return members('Tags', tags, (t) => el('Key', t.Key) + el('Value', t.Value));
}

export function boundaryXml(arn: string | undefined): string {
  if (arn === undefined) return '';
  return raw(
    'PermissionsBoundary',
    el('PermissionsBoundaryType', 'Policy') + el('PermissionsBoundaryArn', arn),
  );
}

export function userXml(u: EmuUser): string {
  return (
    el('Path', u.path) +
    el('UserName', u.userName) +
    el('UserId', u.userId) +
    el('Arn', u.arn) +
    el('CreateDate', isoTime(u.createDate)) +
    (u.passwordLastUsed !== undefined ? el('PasswordLastUsed', isoTime(u.passwordLastUsed)) : '')
  );
}

export function groupXml(g: EmuGroup): string {
  return (
    el('Path', g.path) +
    el('GroupName', g.groupName) +
    el('GroupId', g.groupId) +
    el('Arn', g.arn) +
    el('CreateDate', isoTime(g.createDate))
  );
}

export function roleXml(r: EmuRole, full: boolean): string {
  let xml =
    el('Path', r.path) +
    el('RoleName', r.roleName) +
    el('RoleId', r.roleId) +
    el('Arn', r.arn) +
    el('CreateDate', isoTime(r.createDate)) +
    el('AssumeRolePolicyDocument', encodedDocument(r.assumeRolePolicyDocument)) +
    el('Description', r.description) +
    el('MaxSessionDuration', r.maxSessionDuration);
  if (full) {
    xml += boundaryXml(r.permissionsBoundaryArn);
    if (r.tags.length > 0) xml += tagsXml(r.tags);
    xml += roleLastUsedXml(r);
  }
  return xml;
}

/** Always present, empty when the role was never used. */
export function roleLastUsedXml(r: EmuRole): string {
  return raw(
    'RoleLastUsed',
    r.lastUsed ? el('LastUsedDate', isoTime(r.lastUsed.date)) + el('Region', r.lastUsed.region) : '',
  );
}

export function attachedPolicyXml(p: EmuPolicy): string {
  return el('PolicyName', p.name) + el('PolicyArn', p.arn);
}

export function policyXml(p: EmuPolicy, usage: PolicyUsage | undefined, withDescription: boolean): string {
  return (
    el('PolicyName', p.name) +
    el('PolicyId', p.policyId) +
    el('Arn', p.arn) +
    el('Path', p.path) +
    el('DefaultVersionId', p.defaultVersionId) +
    el('AttachmentCount', usage?.attachments ?? 0) +
    el('PermissionsBoundaryUsageCount', usage?.boundaries ?? 0) +
    el('IsAttachable', true) +
    (withDescription ? el('Description', p.description) : '') +
    el('CreateDate', isoTime(p.createDate)) +
    el('UpdateDate', isoTime(p.updateDate))
  );
}

export function policyVersionXml(v: EmuPolicy['versions'][number]): string {
  return (
    el('Document', encodedDocument(v.document)) +
    el('VersionId', v.versionId) +
    el('IsDefaultVersion', v.isDefault) +
    el('CreateDate', isoTime(v.createDate))
  );
}

export function inlineListXml(listName: string, policies: Record<string, string>): string {
  const names = Object.keys(policies).sort(compareKeys);
  return members(
    listName,
    names,
    (n) => el('PolicyName', n) + el('PolicyDocument', encodedDocument(policies[n] ?? '')),
  );
}
