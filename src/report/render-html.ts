// The posture as one self-contained HTML page: inline CSS and SVG, no script, no request (the page's own
// Content-Security-Policy forbids any). Every figure a test or a reader checks carries data-figure="<path in
// the posture model>".
import { RISK_RULES } from '../identity/risk/index.js';
import { escapeHtml as esc } from './escape.js';
import { htmlTable, type Cell } from './html-table.js';
import { REPORT_CSS } from './html-style.js';
import { keyAgeChart } from './key-age-chart.js';
import { KIND_LABEL, LEVEL_CLASS } from './labels.js';
import { POSTURE_LEVELS, type IdentityRef, type Posture, type PostureLevel } from './posture.js';

const figure = (name: string, value: number): string => `<span data-figure="${name}">${value}</span>`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function card(name: string, value: number, label: string, tone: string): string {
  return `<div class="card ${tone}"><span class="n" data-figure="${name}">${value}</span><span class="l">${esc(label)}</span></div>`;
}

function cards(p: Posture): string {
  const t = p.totals;
  // [figure, value, label, tone when the value is not 0]
  const specs: Array<[keyof typeof t, string, string]> = [
    ['identities', `identities in ${plural(t.accounts, 'account')}`, ''],
    ['admins', 'admins', ''],
    ['adminsWithoutMfa', 'admins without MFA', 'bad'],
    ['consoleWithoutMfa', 'console users without MFA', 'bad'],
    ['staleKeys', `stale access keys (over ${p.rotationDays} days)`, 'warn'],
    ['identitiesAtRisk', 'identities with a risk', 'warn'],
  ];
  const html = specs.map(([name, label, tone]) =>
    card(`totals.${name}`, t[name], label, tone === '' ? '' : t[name] > 0 ? tone : 'ok'),
  );
  return `<section class="cards">${html.join('')}</section>`;
}

/** Name with the ARN or id below; the long table shows the name alone (unique within its account). */
const who = (r: IdentityRef): string => `${esc(r.name)}<br><span class="uid">${esc(r.uid)}</span>`;
const account = (a: { accountId: string; accountName: string }): string =>
  esc(a.accountName && a.accountName !== a.accountId ? `${a.accountName} (${a.accountId})` : a.accountId);
const level = (name: PostureLevel): Cell => ({ html: esc(name), cls: `lv ${LEVEL_CLASS[name]}` });

function levelsAndKeys(p: Posture): string {
  const levels = htmlTable(
    [{ label: 'Risk level' }, { label: 'Identities', numeric: true }],
    POSTURE_LEVELS.map((name) => [level(name), figure(`byLevel.${name}`, p.byLevel[name])]),
  );
  const note = `${figure('totals.activeKeys', p.totals.activeKeys)} active access keys, aged at the report time.`;
  return (
    `<div class="grid2"><section><h2>Identities by risk level</h2>${levels}</section>` +
    `<section><h2>Access key age</h2>${keyAgeChart(p.keyAges, p.rotationDays)}<p class="note">${note}</p></section></div>`
  );
}

function accounts(p: Posture): string {
  const counts = ['Identities', 'IAM users', 'Roles', 'IdC users', 'Admins', ...POSTURE_LEVELS];
  const rows = p.accounts.map((a) => [
    account(a),
    ...[a.identities, a.iamUsers, a.iamRoles, a.identityCenterUsers, a.admins].map(String),
    ...POSTURE_LEVELS.map((l) => String(a.byLevel[l])),
  ]);
  const columns = [
    { label: 'Account', width: '16%' },
    ...counts.map((label) => ({ label, numeric: true, width: label === 'Not evaluated' ? '9%' : undefined })),
  ];
  return `<section><h2>Accounts</h2>${htmlTable(columns, rows)}</section>`;
}

function admins(p: Posture): string {
  const mfa = (value: boolean | null): Cell =>
    value === null
      ? { html: 'n/a', cls: 'uid' }
      : value
        ? { html: 'yes', cls: 'yes' }
        : { html: 'no', cls: 'no' };
  const rows = p.admins.map((a) => [
    who(a),
    account(a),
    esc(KIND_LABEL[a.kind]),
    mfa(a.mfa),
    { html: esc(a.via.join('\n')), cls: 'rs' },
  ]);
  const columns = [
    { label: 'Admin', width: '30%' },
    { label: 'Account', width: '20%' },
    { label: 'Kind', width: '10%' },
    { label: 'MFA', width: '6%' },
    { label: 'Admin through' },
  ];
  const consoleRows = p.consoleWithoutMfa.map((u) => [who(u), account(u)]);
  return (
    `<section><h2>Admins (${figure('admins.count', p.admins.length)})</h2>${htmlTable(columns, rows, 'No admin.')}</section>` +
    `<section><h2>Console users without MFA (${figure('consoleWithoutMfa.count', p.consoleWithoutMfa.length)})</h2>` +
    `${htmlTable([{ label: 'User', width: '60%' }, { label: 'Account' }], consoleRows, 'Every console user has MFA.')}</section>`
  );
}

function identityCenter(p: Posture): string {
  if (p.identityCenterAdmins.length === 0) return '';
  const rows = p.identityCenterAdmins.flatMap((group) =>
    group.admins.map((a) => [
      account(group),
      `${esc(a.name)}<br><span class="uid">${esc(a.uid)}</span>`,
      esc(a.permissionSets.join(', ') || '-') +
        (a.unverified ? ' <span class="uid">(unverified)</span>' : ''),
    ]),
  );
  const columns = [
    { label: 'Account', width: '28%' },
    { label: 'User', width: '36%' },
    { label: 'Permission sets' },
  ];
  return `<section><h2>Identity Center admins by account</h2>${htmlTable(columns, rows)}</section>`;
}

function atRisk(p: Posture): string {
  const rows = p.atRisk.map((r) => [
    level(r.level),
    String(r.score),
    esc(r.name),
    account(r),
    { html: esc(r.reasons.map((x) => `${x.code}: ${x.detail}`).join('\n')), cls: 'rs' },
  ]);
  const columns = [
    { label: 'Level', width: '10%' },
    { label: 'Score', width: '7%', numeric: true },
    { label: 'Identity', width: '16%' },
    { label: 'Account', width: '16%' },
    { label: 'Reasons' },
  ];
  return (
    `<section class="long"><h2>Identities by risk (${figure('atRisk.count', p.atRisk.length)})</h2>` +
    `${htmlTable(columns, rows, 'No identity has a risk.')}</section>`
  );
}

function rules(p: Posture): string {
  const found = new Map(p.reasonCounts.map((r) => [r.code, r.identities]));
  const skipped = new Map(p.skippedRules.map((r) => [r.code, r.identities]));
  const rows = RISK_RULES.map((rule) => [
    `<code>${esc(rule.code)}</code>`,
    level(rule.level),
    esc(rule.cis ?? '-'),
    esc(rule.summary),
    figure(`rules.${rule.code}`, found.get(rule.code) ?? 0),
    figure(`skipped.${rule.code}`, skipped.get(rule.code) ?? 0),
  ]);
  const columns = [
    { label: 'Code', width: '20%' },
    { label: 'Level', width: '9%' },
    { label: 'CIS v3.0', width: '8%' },
    { label: 'When' },
    { label: 'Identities', width: '10%', numeric: true },
    { label: 'Not evaluated', width: '12%', numeric: true },
  ];
  const note =
    'Not evaluated: a fact the rule needs was not collected for these identities, so its silence is not "no risk".';
  return `<section><h2>Rules</h2>${htmlTable(columns, rows)}<p class="note">${note}</p></section>`;
}

export function renderHtml(p: Posture): string {
  const t = p.totals;
  const when = p.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const scope = `${t.identities} identities (${t.iamUsers} IAM users, ${t.iamRoles} roles, ${t.identityCenterUsers} Identity Center users) in ${plural(t.accounts, 'account')}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IAM posture report</title><style>${REPORT_CSS}</style></head><body>
<header><h1>IAM posture</h1><p class="meta">${esc(scope)} &middot; generated ${esc(when)} from ${esc(p.stateFile)}</p></header>
<main>${cards(p)}${levelsAndKeys(p)}${accounts(p)}${admins(p)}${identityCenter(p)}${atRisk(p)}${rules(p)}</main>
<footer>iam-inventory report: the last delivered event of every identity in the state file, with its risk as assessed when it was collected.</footer>
</body></html>
`;
}
