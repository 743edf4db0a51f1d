// The domain: what an identity is and the rules about identities. Pure: no I/O, no AWS, no OCSF.
export type * from './identity.js';
export { identityKey, identityName, identityCreateDate } from './identity-key.js';
export {
  analyzeAdmin,
  documentGrantsEverything,
  isAdministratorAccessArn,
  type AdminAnalysis,
} from './admin-analysis.js';
export {
  analyzePermissionSet,
  customerReferences,
  type CustomerPolicyLookup,
  type PermissionSetVerdict,
} from './permission-set-admin.js';
export * from './risk/index.js';
