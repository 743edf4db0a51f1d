// The sso-admin calls of one Identity Center instance: its permission sets with their policies, and
// account assignments by principal or by account and permission set. A failed call names the action
// (AccountCollectionError for reads of the whole instance, EnrichmentError for one principal's).
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  type AccountAssignment as SdkAssignment,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { PermissionSet } from '../../identity/identity.js';
import { isNotFound } from '../aws/aws-error.js';
import { AccountCollectionError, callAws, required } from '../aws/errors.js';
import { allItems, tokenPages } from '../aws/pagination.js';
import { decodeDocumentOf } from '../iam/policy-documents.js';
import { boundedAll } from './bounded-all.js';
import { withSignal } from '../aws/call-signal.js';

/** One assignment row as sso-admin lists it. */
export interface AssignmentRow {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

/** Permission sets are described a few at a time: five calls each, once per run. */
const DESCRIBE_CONCURRENCY = 4;

function rowOf(a: SdkAssignment, action: string): AssignmentRow {
  const type = required(a.PrincipalType, `${action}: PrincipalType`);
  return {
    accountId: required(a.AccountId, `${action}: AccountId`),
    permissionSetArn: required(a.PermissionSetArn, `${action}: PermissionSetArn`),
    principalType: type === 'GROUP' ? 'GROUP' : 'USER',
    principalId: required(a.PrincipalId, `${action}: PrincipalId`),
  };
}

export class SsoAdminReads {
  constructor(
    private readonly client: SSOAdminClient,
    readonly instanceArn: string,
    /** The account that hosts the instance, for errors. */
    private readonly accountId: string,
    private readonly pageSize: number,
  ) {}

  private fail(action: string): (cause: unknown) => Error {
    return (cause) => new AccountCollectionError(this.accountId, action, cause);
  }

  /** Every permission set, described with its policies; any failure fails the instance's reads. */
  async permissionSets(): Promise<PermissionSet[]> {
    const InstanceArn = this.instanceArn;
    const action = 'sso:ListPermissionSets';
    const arns = await allItems(
      tokenPages({
        action,
        fetchPage: (NextToken) =>
          this.client.send(
            new ListPermissionSetsCommand({ InstanceArn, NextToken, MaxResults: this.pageSize }),
          ),
        fail: this.fail(action),
      }),
      (p) => p.PermissionSets,
    );
    return boundedAll(arns, DESCRIBE_CONCURRENCY, (arn) => this.permissionSet(arn));
  }

  private async permissionSet(PermissionSetArn: string): Promise<PermissionSet> {
    const InstanceArn = this.instanceArn;
    const input = { InstanceArn, PermissionSetArn };
    const call = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (error) {
        throw new AccountCollectionError(this.accountId, action, error);
      }
    };
    const described = await call('sso:DescribePermissionSet', () =>
      this.client.send(new DescribePermissionSetCommand(input)),
    );
    const name = required(described.PermissionSet?.Name, 'sso:DescribePermissionSet: Name');
    const managed = await allItems(
      tokenPages({
        action: 'sso:ListManagedPoliciesInPermissionSet',
        fetchPage: (NextToken) =>
          this.client.send(new ListManagedPoliciesInPermissionSetCommand({ ...input, NextToken })),
        fail: this.fail('sso:ListManagedPoliciesInPermissionSet'),
      }),
      (p) => p.AttachedManagedPolicies,
    );
    const customer = await allItems(
      tokenPages({
        action: 'sso:ListCustomerManagedPolicyReferencesInPermissionSet',
        fetchPage: (NextToken) =>
          this.client.send(
            new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ ...input, NextToken }),
          ),
        fail: this.fail('sso:ListCustomerManagedPolicyReferencesInPermissionSet'),
      }),
      (p) => p.CustomerManagedPolicyReferences,
    );
    const inline = await call('sso:GetInlinePolicyForPermissionSet', () =>
      this.client.send(new GetInlinePolicyForPermissionSetCommand(input)),
    );
    const ps: PermissionSet = {
      arn: PermissionSetArn,
      name,
      managedPolicies: managed.map((p) => ({
        name: required(p.Name, 'sso:ListManagedPoliciesInPermissionSet: Name'),
        arn: required(p.Arn, 'sso:ListManagedPoliciesInPermissionSet: Arn'),
      })),
      customerManagedPolicies: customer.map((r) => ({
        name: required(r.Name, 'sso:ListCustomerManagedPolicyReferencesInPermissionSet: Name'),
        path: r.Path ?? '/',
      })),
    };
    if (inline.InlinePolicy !== undefined && inline.InlinePolicy !== '') {
      ps.inlinePolicy = await call('sso:GetInlinePolicyForPermissionSet', async () =>
        decodeDocumentOf('sso:GetInlinePolicyForPermissionSet', inline.InlinePolicy),
      );
    }
    const boundary = await this.boundary(input);
    if (boundary !== undefined) ps.permissionsBoundary = boundary;
    return ps;
  }

  private async boundary(input: {
    InstanceArn: string;
    PermissionSetArn: string;
  }): Promise<PermissionSet['permissionsBoundary']> {
    const action = 'sso:GetPermissionsBoundaryForPermissionSet';
    try {
      const out = await this.client.send(new GetPermissionsBoundaryForPermissionSetCommand(input));
      const b = out.PermissionsBoundary;
      if (b?.ManagedPolicyArn !== undefined) return { managedPolicyArn: b.ManagedPolicyArn };
      const ref = b?.CustomerManagedPolicyReference;
      if (ref?.Name !== undefined)
        return { customerManagedPolicy: { name: ref.Name, path: ref.Path ?? '/' } };
      throw new Error('PermissionsBoundary names neither a managed policy nor a customer managed one');
    } catch (error) {
      // AWS answers ResourceNotFoundException for a permission set without a boundary.
      if (isNotFound(error)) return undefined;
      throw new AccountCollectionError(this.accountId, action, error);
    }
  }

  /** The assignments of one user or group (every account); an EnrichmentError names the action. */
  principalAssignments(
    principalType: 'USER' | 'GROUP',
    principalId: string,
    signal?: AbortSignal,
  ): Promise<AssignmentRow[]> {
    const action = 'sso:ListAccountAssignmentsForPrincipal';
    return callAws(action, async () => {
      const rows = await allItems(
        tokenPages({
          action,
          fetchPage: (NextToken) =>
            this.client.send(
              withSignal(
                new ListAccountAssignmentsForPrincipalCommand({
                  InstanceArn: this.instanceArn,
                  PrincipalType: principalType,
                  PrincipalId: principalId,
                  MaxResults: this.pageSize,
                  NextToken,
                }),
                signal,
              ),
            ),
          ...(signal !== undefined ? { signal } : {}),
        }),
        (p) => p.AccountAssignments,
      );
      return rows.map((a) => rowOf(a, action));
    });
  }

  /** The accounts a permission set is provisioned to. */
  provisionedAccounts(permissionSetArn: string): Promise<string[]> {
    const action = 'sso:ListAccountsForProvisionedPermissionSet';
    return allItems(
      tokenPages({
        action,
        fetchPage: (NextToken) =>
          this.client.send(
            new ListAccountsForProvisionedPermissionSetCommand({
              InstanceArn: this.instanceArn,
              PermissionSetArn: permissionSetArn,
              MaxResults: this.pageSize,
              NextToken,
            }),
          ),
        fail: this.fail(action),
      }),
      (p) => p.AccountIds,
    );
  }

  /** Every assignment of one permission set in one account (users and groups). */
  async accountAssignments(accountId: string, permissionSetArn: string): Promise<AssignmentRow[]> {
    const action = 'sso:ListAccountAssignments';
    const rows = await allItems(
      tokenPages({
        action,
        fetchPage: (NextToken) =>
          this.client.send(
            new ListAccountAssignmentsCommand({
              InstanceArn: this.instanceArn,
              AccountId: accountId,
              PermissionSetArn: permissionSetArn,
              MaxResults: this.pageSize,
              NextToken,
            }),
          ),
        fail: this.fail(action),
      }),
      (p) => p.AccountAssignments,
    );
    try {
      return rows.map((a) => rowOf(a, action));
    } catch (error) {
      throw new AccountCollectionError(this.accountId, action, error);
    }
  }
}
