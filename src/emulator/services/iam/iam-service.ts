// IAM over the AWS Query protocol: the read actions an inventory needs, with AWS's pagination (MaxItems,
// Marker, IsTruncated), error codes and document encoding. One file per kind of action; a new action is a
// handler in its file and a line in that file's table.
import type { QueryServiceModule } from '../../service.js';
import { accountActions } from './account-actions.js';
import { authorizationDetailsActions } from './authorization-details.js';
import { credentialActions } from './credential-actions.js';
import { groupActions } from './group-actions.js';
import { policyActions } from './policy-actions.js';
import { roleActions } from './role-actions.js';
import { userActions } from './user-actions.js';

export const iamService: QueryServiceModule = {
  protocol: 'query',
  signingName: 'iam',
  xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  apiVersion: '2010-05-08',
  actions: {
    ...userActions,
    ...groupActions,
    ...roleActions,
    ...policyActions,
    ...credentialActions,
    ...authorizationDetailsActions,
    ...accountActions,
  },
};
