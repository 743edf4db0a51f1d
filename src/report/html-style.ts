// The report's stylesheet, inlined into the page (no external file, no font download). Colour marks the
// risk levels on screen; on paper the level is also written out, so nothing depends on colour alone.
export const REPORT_CSS = `
:root { --fg: #1d2430; --muted: #5b6676; --line: #d9dee6; --bg: #f6f7f9; --card: #fff;
  --c4: #b3261e; --c3: #d9480f; --c2: #b7791f; --c1: #2f6f9f; --c0: #5b6676; --ok: #2b7a4b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); }
header, main { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 12px; }
.meta, .note { color: var(--muted); margin: 0; }
.note { font-size: 13px; margin-top: 8px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px;
  margin: 18px 0; }
.chunk { content-visibility: auto; }
.chunk + .chunk table { border-top: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px;
  background: none; border: 0; padding: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px;
  border-top: 4px solid var(--c0); }
.card .n { display: block; font-size: 30px; font-weight: 650; line-height: 1.1; }
.card .l { color: var(--muted); }
.card.bad { border-top-color: var(--c4); }
.card.warn { border-top-color: var(--c2); }
.card.ok { border-top-color: var(--ok); }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
.grid2 > section { margin: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 11px; text-transform: uppercase; letter-spacing: 0; color: var(--muted); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td { overflow-wrap: break-word; }
.rs { white-space: pre-line; font-size: 13px; }
.lv { font-weight: 600; }
.L4 { color: var(--c4); } .L3 { color: var(--c3); } .L2 { color: var(--c2); } .L1 { color: var(--c1); }
.L0, .Lx { color: var(--c0); }
.no { color: var(--c4); font-weight: 600; }
.yes { color: var(--ok); }
.uid { color: var(--muted); font-size: 12px; }
.chart { width: 100%; max-width: 760px; height: auto; display: block; }
.chart rect { fill: var(--c1); }
.chart .stale rect { fill: url(#hatch); stroke: var(--c4); }
.chart .unk rect { fill: var(--line); }
.chart .hatch-bg { fill: #f3c7c2; } .chart .hatch-line { stroke: var(--c4); stroke-width: 2; }
.chart text { font-size: 11.5px; text-anchor: middle; fill: var(--fg); }
.chart .count { font-weight: 650; font-size: 15px; }
.chart .base { stroke: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
footer { max-width: 1180px; margin: 0 auto; padding: 8px 24px 32px; color: var(--muted); font-size: 12px; }
@media (max-width: 800px) { .grid2 { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 11px; }
  th { font-size: 9px; letter-spacing: 0; padding: 4px; }
  td { padding: 4px; }
  .rs { font-size: 10px; }
  header, main, footer { max-width: none; padding: 0; }
  .chunk { content-visibility: visible; }
  section { border: 0; border-radius: 0; padding: 0; margin: 14px 0; }
  .card { border: 1px solid #999; }
  .grid2 { display: block; }
  .grid2 > section { margin: 14px 0; }
  tr, .card, svg { break-inside: avoid; }
  .chart { max-width: 460px; }
  .cards { grid-template-columns: repeat(3, 1fr); }
  h2 { break-after: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
