// Inline policies embedded in users and groups, labelled like the managed ones.
import type { InlineTemplate } from './catalog-types.js';
import { doc } from './documents.js';

/** Inline policy templates for users and groups. */
export const INLINE_POLICY_TEMPLATES: readonly InlineTemplate[] = [
  {
    name: 'breakglass',
    document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'emergency-full-access',
    document: doc(
      { Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
      { Effect: 'Allow', Action: ['*'], Resource: '*' },
    ),
    adminEquivalent: true,
    role: 'admin',
  },
  {
    name: 'bucket-owner',
    document: doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::acme-team-artifacts/*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'iam-self-service',
    document: doc({ Effect: 'Allow', Action: ['iam:*'], Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'everything-but-iam',
    document: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'office-hours-admin',
    document: doc({
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
    }),
    adminEquivalent: false,
    role: 'decoy',
  },
  {
    name: 'deny-all',
    document: doc({ Effect: 'Deny', Action: '*', Resource: '*' }),
    adminEquivalent: false,
    role: 'decoy',
    deniesAll: true,
  },
  {
    name: 'read-team-bucket',
    document: doc({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::acme-team-reports', 'arn:aws:s3:::acme-team-reports/*'],
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'sqs-consumer',
    document: doc({
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      Resource: 'arn:aws:sqs:us-east-1:*:orders-*',
    }),
    adminEquivalent: false,
    role: 'ordinary',
  },
  {
    name: 'cloudwatch-put-metrics',
    document: doc({ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' }),
    adminEquivalent: false,
    role: 'ordinary',
  },
];
