// Inline policies of generated permission sets, labelled by construction like every catalog document.
import { doc } from './documents.js';

export const PERMISSION_SET_INLINE = {
  everything: doc({ Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' }),
  iamEverything: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }),
} as const;

/** Admin label of each permission set inline document, keyed by its text. */
export const PERMISSION_SET_INLINE_ADMIN = new Map<string, boolean>([
  [PERMISSION_SET_INLINE.everything, true],
  [PERMISSION_SET_INLINE.iamEverything, false],
]);
