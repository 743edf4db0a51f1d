// The posture in a few terminal lines (the demo's closing words).
import type { Posture } from './posture.js';

export function renderPostureSummary(p: Posture): string {
  const t = p.totals;
  const rows: Array<[string, string]> = [
    ['admins', String(t.admins)],
    ['admins without MFA', String(t.adminsWithoutMfa)],
    ['console users without MFA', `${t.consoleWithoutMfa} of ${t.consoleUsers} console users`],
    [
      'stale access keys',
      `${t.staleKeys} of ${t.activeKeys} active keys (older than ${p.rotationDays} days)`,
    ],
  ];
  const lines = [`posture (${t.identities} identities in the state file):`];
  for (const [label, value] of rows) lines.push(`  ${`${label}:`.padEnd(28)} ${value}`);
  return `${lines.join('\n')}\n`;
}
