// The demo's HTML report in a real browser (Debian's chromium driven by playwright-core): the figures on the
// page equal the counts computed here straight from the state file, the page makes no request besides its own
// file, and a screenshot is saved in the test's temp folder.
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { runCli, tempDir, type CliResult } from '../e2e/cli.js';
import { itUnless } from '../support/skip.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DAY = 86_400_000;
const ROTATION_DAYS = 90;

const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install -y chromium)`;

type Json = Record<string, any>;

/** Every figure of the page, computed from the state's last events without the product's report code. */
function expectedFigures(events: Json[], now: number): Record<string, number> {
  const aws = (e: Json): Json => e.unmapped?.aws ?? {};
  const count = (test: (e: Json) => boolean) => events.filter(test).length;
  const isAdmin = (e: Json) => e.user.type_id === 2 || aws(e).is_admin === true;
  const activeKeys = events.flatMap((e) =>
    (aws(e).access_keys ?? []).filter((k: Json) => k.status === 'Active'),
  );
  const figures: Record<string, number> = {
    'totals.identities': events.length,
    'totals.admins': count(isAdmin),
    'admins.count': count(isAdmin),
    'totals.adminsWithoutMfa': count(
      (e) => aws(e).source === 'iam_user' && isAdmin(e) && e.user.has_mfa === false,
    ),
    'totals.consoleWithoutMfa': count(
      (e) => aws(e).login_profile?.present === true && e.user.has_mfa === false,
    ),
    'consoleWithoutMfa.count': count(
      (e) => aws(e).login_profile?.present === true && e.user.has_mfa === false,
    ),
    'totals.identitiesAtRisk': count((e) => (aws(e).risk_reasons ?? []).length > 0),
    'atRisk.count': count((e) => (aws(e).risk_reasons ?? []).length > 0),
    'totals.activeKeys': activeKeys.length,
    'totals.staleKeys': activeKeys.filter((k: Json) => now - k.created_time > ROTATION_DAYS * DAY).length,
  };
  for (const level of ['Critical', 'High', 'Medium', 'Low', 'Info', 'Not evaluated']) {
    figures[`byLevel.${level}`] = count((e) => (e.user.risk_level ?? 'Not evaluated') === level);
  }
  const codes = events.flatMap((e) => [
    ...new Set<string>((aws(e).risk_reasons ?? []).map((r: Json) => r.code)),
  ]);
  for (const code of new Set(codes)) figures[`rules.${code}`] = codes.filter((c) => c === code).length;
  return figures;
}

describe('the HTML report in Chromium', () => {
  let dir: string;
  let demo: CliResult;
  let context: BrowserContext;

  beforeAll(async () => {
    if (missing !== undefined) return;
    dir = tempDir('iam-report-browser-');
    demo = await runCli(
      ['demo', '--users', '80', '--state', 'state.db', '--out', 'events.ndjson', '--report', 'report.html'],
      { cwd: dir },
    );
    context = await chromium.launchPersistentContext(mkdtempSync(join(dir, 'chromium-profile-')), {
      executablePath: CHROMIUM,
      args: FLAGS,
      headless: true,
      viewport: { width: 1280, height: 900 },
    });
  }, 120_000);
  afterAll(async () => context?.close());

  itUnless(missing)(
    'shows the counts of the state, fetches nothing, and looks like a report',
    async () => {
      expect(demo.code).toBe(0);
      const reportPath = join(dir, 'report.html');
      expect(demo.stdout).toContain(`report:                      ${reportPath}`);

      const db = new Database(join(dir, 'state.db'), { readonly: true });
      const rows = db.prepare('SELECT last_event FROM identities WHERE deleted = 0').all() as {
        last_event: string;
      }[];
      db.close();
      const events = rows.map((row) => JSON.parse(row.last_event) as Json);
      const expected = expectedFigures(events, Date.now());
      expect(demo.stdout).toContain(`admins without MFA:          ${expected['totals.adminsWithoutMfa']}\n`);

      const url = pathToFileURL(reportPath).href;
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        const target = route.request().url();
        requests.push(target);
        return target === url || target.startsWith('data:') ? route.continue() : route.abort();
      });
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('request', (request) => {
        if (!requests.includes(request.url())) requests.push(request.url());
      });
      await page.goto(url, { waitUntil: 'load' });

      const shown = await page.$$eval('[data-figure]', (elements) =>
        elements.map((e) => [e.getAttribute('data-figure') ?? '', Number(e.textContent)] as const),
      );
      const figures = Object.fromEntries(shown);
      for (const [name, value] of Object.entries(expected))
        expect([name, figures[name]]).toEqual([name, value]);
      const bars = shown
        .filter(([name]) => name.startsWith('keyAges.'))
        .reduce((n, [, value]) => n + value, 0);
      expect(bars).toBe(expected['totals.activeKeys']);
      expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([]);

      await page.screenshot({ path: join(dir, 'report.png') });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(dir, 'report-print.png'), fullPage: true });
      process.stderr.write(
        `report screenshots: ${join(dir, 'report.png')}, ${join(dir, 'report-print.png')}\n`,
      );
    },
    60_000,
  );
});
