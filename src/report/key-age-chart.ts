// The key-age chart as inline SVG: one bar per age bucket, stale buckets (older than risk.rotation_days)
// marked, the count written on every bar so the figure reads without colour and on paper.
import { escapeHtml } from './escape.js';
import type { KeyAgeBucket } from './key-ages.js';

const WIDTH = 620;
const HEIGHT = 250;
const TOP = 24;
const BOTTOM = 44;
const LEFT = 8;

export function keyAgeChart(buckets: readonly KeyAgeBucket[], rotationDays: number): string {
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const slot = (WIDTH - 2 * LEFT) / Math.max(1, buckets.length);
  const barWidth = Math.min(80, slot * 0.7);
  const plot = HEIGHT - TOP - BOTTOM;
  const bars = buckets.map((b, i) => {
    const h = Math.round((b.count / max) * plot);
    const x = Math.round(LEFT + i * slot + (slot - barWidth) / 2);
    const y = TOP + plot - h;
    const cx = Math.round(x + barWidth / 2);
    const cls = b.fromDays === null ? 'unk' : b.stale ? 'stale' : 'fresh';
    return (
      `<g class="${cls}"><title>${escapeHtml(b.label)}: ${b.count} active keys</title>` +
      `<rect x="${x}" y="${y}" width="${Math.round(barWidth)}" height="${Math.max(h, 1)}"/>` +
      `<text class="count" x="${cx}" y="${y - 6}" data-figure="keyAges.${i}">${b.count}</text>` +
      `<text class="axis" x="${cx}" y="${HEIGHT - BOTTOM + 18}">${escapeHtml(b.label)}</text></g>`
    );
  });
  const caption = `Active access keys by age; hatched bars are older than ${rotationDays} days (risk.rotation_days)`;
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(caption)}">` +
    `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>` +
    `<line class="base" x1="${LEFT}" x2="${WIDTH - LEFT}" y1="${TOP + plot + 0.5}" y2="${TOP + plot + 0.5}"/>` +
    `${bars.join('')}</svg>`
  );
}
