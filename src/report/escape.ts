// Names and policy names come from AWS accounts: every one is escaped before it reaches HTML or Markdown.
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c] ?? c);
}

/** A Markdown table cell: HTML-escaped, pipes escaped, line breaks as <br>. */
export function markdownCell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
