// Resource tags on users and roles: a few well-known keys with plausible values.
import type { EmuTag } from '../model.js';
import type { SeededRandom } from '../random.js';
import { TEAM_WORDS } from './vocabulary.js';

const TAG_VALUES: Record<string, readonly string[]> = {
  team: TEAM_WORDS,
  'cost-center': ['CC-1001', 'CC-1002', 'CC-2040', 'CC-3300', 'CC-7781'],
  owner: ['platform@acme.example', 'security@acme.example', 'data@acme.example', 'it@acme.example'],
  environment: ['prod', 'staging', 'dev', 'sandbox'],
  department: ['engineering', 'finance', 'operations', 'security', 'sales'],
  project: ['atlas', 'borealis', 'cygnus', 'draco', 'eridanus', 'fornax'],
  'managed-by': ['terraform', 'cloudformation', 'manual'],
};
const TAG_KEYS = Object.keys(TAG_VALUES);

export function randomTags(rng: SeededRandom): EmuTag[] {
  const count = rng.weighted([
    [0, 8],
    [1, 5],
    [2, 4],
    [3, 2],
    [4, 1],
  ]);
  return rng.sample(TAG_KEYS, count).map((key) => ({ Key: key, Value: rng.pick(TAG_VALUES[key] ?? ['x']) }));
}
