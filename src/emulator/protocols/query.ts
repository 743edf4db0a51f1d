// AWS Query protocol (IAM, STS): form-encoded parameters in, XML out. Responses are built by string
// concatenation: a 1,000-user page must be cheap, and a DOM would cost more than the data.
import type { EmuError, QueryServiceModule } from '../service.js';

/** Parameters from the form body (POST) or the query string (GET); the body wins. */
export function parseQueryParams(
  url: string,
  body: Buffer,
  contentType: string | undefined,
): Record<string, string> {
  const params: Record<string, string> = {};
  const search = new URL(url, 'http://emulator.invalid').searchParams;
  for (const [k, v] of search) params[k] = v;
  if (body.length > 0 && (contentType === undefined || contentType.includes('x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
  }
  return params;
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

const NEEDS_ESCAPE = /[&<>"']/;

export function xmlEscape(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** `<Name>escaped value</Name>`, or '' when the value is undefined (absent members are omitted). */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${typeof value === 'string' ? xmlEscape(value) : String(value)}</${name}>`;
}

/** `<Name>inner</Name>` with inner XML already built. */
export function raw(name: string, innerXml: string): string {
  return `<${name}>${innerXml}</${name}>`;
}

/** A query-protocol list: `<Name><member>..</member>...</Name>`. */
export function members<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  let out = `<${name}>`;
  for (const item of items) out += `<member>${render(item)}</member>`;
  return `${out}</${name}>`;
}

/** ISO 8601 with second precision and Z, as IAM writes timestamps. */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function renderQueryResponse(
  module: QueryServiceModule,
  action: string,
  resultXml: string,
  requestId: string,
): string {
  return (
    `<${action}Response xmlns="${module.xmlNamespace}">` +
    `<${action}Result>${resultXml}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>\n`
  );
}

export function renderQueryError(
  xmlNamespace: string | undefined,
  error: EmuError,
  requestId: string,
): string {
  const ns = xmlNamespace === undefined ? '' : ` xmlns="${xmlNamespace}"`;
  return (
    `<ErrorResponse${ns}><Error><Type>${error.type}</Type>${el('Code', error.code)}${el('Message', error.message)}` +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`
  );
}

/** Collects `Name.member.N` parameters in N order. */
export function memberList(params: Record<string, string>, name: string): string[] {
  const prefix = `${name}.member.`;
  const found: [number, string][] = [];
  for (const [k, v] of Object.entries(params)) {
    if (k.startsWith(prefix)) found.push([Number(k.slice(prefix.length)), v]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}
