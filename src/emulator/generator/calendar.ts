// The generator's clock: every dataset is dated relative to one fixed "now", at second precision (as IAM
// reports dates), so a seed always gives the same estate.
import type { SeededRandom } from '../random.js';

/** "Now" of every generated dataset: dates are spread over the years before it. */
export const GENERATOR_REFERENCE_TIME = Date.UTC(2025, 0, 15, 12, 0, 0);
export const EARLIEST_CREATE = Date.UTC(2014, 2, 1);
export const DAY = 86_400_000;

export const secondsFloor = (ms: number): number => Math.floor(ms / 1000) * 1000;

export function randomDate(rng: SeededRandom, from: number, to: number): number {
  return secondsFloor(from + rng.next() * Math.max(0, to - from));
}
