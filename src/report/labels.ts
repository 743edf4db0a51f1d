import type { IdentityKind } from './event-facts.js';
import type { PostureLevel } from './posture.js';

export const KIND_LABEL: Record<IdentityKind, string> = {
  iam_user: 'IAM user',
  iam_role: 'IAM role',
  identity_center: 'Identity Center user',
  other: 'other',
};

export const LEVEL_CLASS: Record<PostureLevel, string> = {
  Critical: 'L4',
  High: 'L3',
  Medium: 'L2',
  Low: 'L1',
  Info: 'L0',
  'Not evaluated': 'Lx',
};
