// The posture as Markdown (GitHub tables): the same figures as the HTML page, for tickets and wikis.
import { RISK_RULES } from '../identity/risk/index.js';
import { markdownCell as cell } from './escape.js';
import { KIND_LABEL } from './labels.js';
import { POSTURE_LEVELS, type IdentityRef, type Posture } from './posture.js';

function table(headers: string[], rows: string[][], empty = 'None.'): string {
  if (rows.length === 0) return `_${empty}_\n`;
  const align = headers.map((h) => (h.endsWith(' ') ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers.map((h) => h.trim())), line(align), ...rows.map(line)].join('\n') + '\n';
}

const who = (r: IdentityRef): string => `${cell(r.name)} (${cell(r.uid)})`;
const acct = (r: { accountId: string; accountName: string }): string =>
  r.accountName && r.accountName !== r.accountId
    ? `${cell(r.accountName)} (${r.accountId})`
    : cell(r.accountId);

function summary(p: Posture): string[] {
  const t = p.totals;
  return [
    '# IAM posture',
    '',
    `Generated ${p.generatedAt} from \`${p.stateFile}\`: ${t.identities} identities (${t.iamUsers} IAM users, ${t.iamRoles} roles, ${t.identityCenterUsers} Identity Center users) in ${t.accounts} accounts.`,
    '',
    table(
      ['Figure', 'Count '],
      [
        ['Admins', String(t.admins)],
        ['Admins without MFA', String(t.adminsWithoutMfa)],
        ['Console users', String(t.consoleUsers)],
        ['Console users without MFA', String(t.consoleWithoutMfa)],
        ['Identities with a risk', String(t.identitiesAtRisk)],
        ['Active access keys', String(t.activeKeys)],
        [`Stale access keys (over ${p.rotationDays} days)`, String(t.staleKeys)],
      ],
    ),
    '## Identities by risk level',
    '',
    table(
      ['Risk level', 'Identities '],
      POSTURE_LEVELS.map((l) => [l, String(p.byLevel[l])]),
    ),
    '## Accounts',
    '',
    table(
      [
        'Account',
        'Identities ',
        'Users ',
        'Roles ',
        'IdC ',
        'Admins ',
        ...POSTURE_LEVELS.map((l) => `${l} `),
      ],
      p.accounts.map((a) => [
        acct(a),
        ...[a.identities, a.iamUsers, a.iamRoles, a.identityCenterUsers, a.admins].map(String),
        ...POSTURE_LEVELS.map((l) => String(a.byLevel[l])),
      ]),
    ),
  ];
}

function details(p: Posture): string[] {
  const mfa = (v: boolean | null) => (v === null ? 'n/a' : v ? 'yes' : '**no**');
  const out = [
    `## Admins (${p.admins.length})`,
    '',
    table(
      ['Admin', 'Account', 'Kind', 'MFA', 'Admin through'],
      p.admins.map((a) => [who(a), acct(a), KIND_LABEL[a.kind], mfa(a.mfa), cell(a.via.join('\n'))]),
      'No admin.',
    ),
    `## Console users without MFA (${p.consoleWithoutMfa.length})`,
    '',
    table(
      ['User', 'Account'],
      p.consoleWithoutMfa.map((u) => [who(u), acct(u)]),
      'Every console user has MFA.',
    ),
    '## Key age (active access keys, at report time)',
    '',
    table(
      ['Age', 'Keys ', 'Stale'],
      p.keyAges.map((b) => [b.label, String(b.count), b.stale ? 'yes' : '']),
    ),
  ];
  if (p.identityCenterAdmins.length > 0) {
    out.push(
      '## Identity Center admins by account',
      '',
      table(
        ['Account', 'User', 'Permission sets'],
        p.identityCenterAdmins.flatMap((g) =>
          g.admins.map((a) => [
            acct(g),
            `${cell(a.name)} (${cell(a.uid)})`,
            cell(a.permissionSets.join(', ') || '-') + (a.unverified ? ' (unverified)' : ''),
          ]),
        ),
      ),
    );
  }
  out.push(
    `## Identities by risk (${p.atRisk.length})`,
    '',
    table(
      ['Level', 'Score ', 'Identity', 'Account', 'Reasons'],
      p.atRisk.map((r) => [
        r.level,
        String(r.score),
        who(r),
        acct(r),
        cell(r.reasons.map((x) => `${x.code}: ${x.detail}`).join('\n')),
      ]),
      'No identity has a risk.',
    ),
  );
  return out;
}

function rules(p: Posture): string[] {
  const found = new Map(p.reasonCounts.map((r) => [r.code, r.identities]));
  const skipped = new Map(p.skippedRules.map((r) => [r.code, r.identities]));
  return [
    '## Rules',
    '',
    table(
      ['Code', 'Level', 'CIS v3.0', 'When', 'Identities ', 'Not evaluated '],
      RISK_RULES.map((r) => [
        `\`${r.code}\``,
        r.level,
        r.cis ?? '-',
        cell(r.summary),
        String(found.get(r.code) ?? 0),
        String(skipped.get(r.code) ?? 0),
      ]),
    ),
  ];
}

export function renderMarkdown(p: Posture): string {
  return [...summary(p), ...details(p), ...rules(p)].join('\n');
}
