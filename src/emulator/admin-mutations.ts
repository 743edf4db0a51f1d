// Admin HTTP routes for the world mutations (mutations.ts): each takes its arguments by name from the body.
import type { EmuWorld } from './model.js';

export interface AdminMutation {
  method: 'POST' | 'DELETE';
  path: string;
  run(world: EmuWorld, body: Record<string, unknown>): unknown;
}

export const ADMIN_MUTATIONS: AdminMutation[] = [];
