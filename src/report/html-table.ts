// Tables for the HTML report, lean for large inventories: one element per cell, fixed layout from the column
// widths (the browser does not measure every cell), and long tables cut into chunks that the browser lays
// out only when they scroll into view.
import { escapeHtml as esc } from './escape.js';

export interface Column {
  label: string;
  /** CSS width of the column, e.g. "12%". */
  width?: string;
  numeric?: boolean;
}

/** A cell: HTML content, with an optional class. */
export type Cell = string | { html: string; cls?: string };

const CHUNK_ROWS = 400;

function td(cell: Cell, column: Column | undefined): string {
  const c = typeof cell === 'string' ? { html: cell } : cell;
  const classes = [column?.numeric ? 'n' : '', c.cls ?? ''].filter(Boolean).join(' ');
  const cls = classes ? ` class="${classes}"` : '';
  return `<td${cls}>${c.html}</td>`;
}

function tableOf(columns: Column[], rows: Cell[][], head: boolean): string {
  const cols = columns.map((c) => (c.width ? `<col style="width:${c.width}">` : '<col>')).join('');
  const thead = head
    ? `<thead><tr>${columns.map((c) => `<th${c.numeric ? ' class="n"' : ''}>${esc(c.label)}</th>`).join('')}</tr></thead>`
    : '';
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => td(cell, columns[i])).join('')}</tr>`)
    .join('\n');
  return `<table><colgroup>${cols}</colgroup>${thead}<tbody>\n${body}\n</tbody></table>`;
}

export function htmlTable(columns: Column[], rows: Cell[][], empty = 'None.'): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  if (rows.length <= CHUNK_ROWS) return tableOf(columns, rows, true);
  const chunks: string[] = [];
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const slice = rows.slice(start, start + CHUNK_ROWS);
    chunks.push(
      `<div class="chunk" style="contain-intrinsic-size:auto ${slice.length * 40}px">${tableOf(columns, slice, start === 0)}</div>`,
    );
  }
  return chunks.join('\n');
}
