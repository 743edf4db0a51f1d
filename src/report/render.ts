// One posture, three renderings with the same figures.
import type { Posture } from './posture.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';

export const REPORT_FORMATS = ['html', 'markdown', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderPosture(posture: Posture, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(posture);
    case 'markdown':
      return renderMarkdown(posture);
    case 'json':
      return `${JSON.stringify(posture, null, 2)}\n`;
  }
}
