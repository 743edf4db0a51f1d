// An IAM group with its policies, read with the group's own calls (ListAttachedGroupPolicies,
// ListGroupPolicies, GetGroupPolicy) once per account pass and shared by every member.
import {
  GetGroupPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  type Group,
} from '@aws-sdk/client-iam';
import type { IamGroup } from '../../identity/identity.js';
import { required } from '../aws/errors.js';
import { readHolderPolicies } from './holder-policies.js';
import { isNoSuchEntityFrom, type AccountReadContext } from './iam-requests.js';
import { SharedReads } from './shared-reads.js';
import { withSignal } from '../aws/call-signal.js';

/** Calls about a group itself: NoSuchEntity from them means the group was deleted mid-run. */
const GROUP_ACTIONS: ReadonlySet<string> = new Set([
  'iam:ListAttachedGroupPolicies',
  'iam:ListGroupPolicies',
]);

/**
 * Reads one group's policies once per run; every member awaits the same promise. A failed read is evicted
 * so that a later member retries it. A group deleted mid-run (NoSuchEntity) resolves to null.
 */
export class GroupCache {
  private readonly byName = new SharedReads<string, IamGroup | null>();

  constructor(private readonly ctx: AccountReadContext) {}

  get(group: Group): Promise<IamGroup | null> {
    return this.byName.get(group.GroupName ?? '', () => this.read(group));
  }

  get size(): number {
    return this.byName.size;
  }

  private async read(group: Group): Promise<IamGroup | null> {
    const { iam, signal } = this.ctx;
    const GroupName = group.GroupName ?? '';
    try {
      const policies = await readHolderPolicies(this.ctx, {
        listAttached: [
          'iam:ListAttachedGroupPolicies',
          (Marker) =>
            iam.send(withSignal(new ListAttachedGroupPoliciesCommand({ GroupName, Marker }), signal)),
        ],
        listInline: [
          'iam:ListGroupPolicies',
          (Marker) => iam.send(withSignal(new ListGroupPoliciesCommand({ GroupName, Marker }), signal)),
        ],
        getInline: [
          'iam:GetGroupPolicy',
          (PolicyName) => iam.send(withSignal(new GetGroupPolicyCommand({ GroupName, PolicyName }), signal)),
        ],
      });
      const out: IamGroup = {
        name: GroupName,
        arn: required(group.Arn, 'group listing: Arn'),
        attachedPolicies: policies.attachedPolicies,
        inlinePolicies: policies.inlinePolicies,
      };
      if (group.GroupId !== undefined) out.groupId = group.GroupId;
      if (group.Path !== undefined) out.path = group.Path;
      return out;
    } catch (error) {
      if (isNoSuchEntityFrom(error, GROUP_ACTIONS)) {
        this.ctx.logger.debug(
          { accountId: this.ctx.accountId, group: GroupName },
          'group vanished during collection',
        );
        return null;
      }
      throw error;
    }
  }
}
