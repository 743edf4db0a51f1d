// The HTTP client every HTTP sink shares: keep-alive, per-attempt timeout, optional gzip, TLS verification,
// and the retry rules (429/5xx/network/timeouts retried with backoff, other 4xx fail at once).
// Nothing that reaches a log line or an error message carries a header value, a token or a request body.
import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { maskSecrets } from '../log.js';
import { packageVersion } from '../package-root.js';
import { SinkDeliveryError } from './delivery-error.js';
import type { HttpTransportKeys } from '../config/config.js';
import { ConfigError } from '../config/errors.js';
import { secretParts } from '../config/secret-keys.js';
import { backoffDelayMs, retryAfterMs, retryPolicyOf, sleep, type RetryPolicy } from './retry-policy.js';
import type { SinkContext } from './sink.js';
import { readTlsSettings, tlsVerificationFailure, type TlsSettings } from './tls-settings.js';

const gzip = promisify(gzipCallback);

/** Responses are read up to this size; an Elasticsearch bulk answer for a large batch stays well below. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const ERROR_EXCERPT_BYTES = 500;

export interface HttpTransportConfig {
  sinkName: string;
  baseUrl: URL;
  timeoutMs: number;
  compress: boolean;
  retry: RetryPolicy;
  tls: TlsSettings;
  /** Literal values masked in every error and log line (tokens, keys, configured header values). */
  secrets: string[];
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** The URL as it may appear in logs: no user info, no query string (either may carry a credential). */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Where an HTTP sink sends to: its URL (the key differs by sink type) and the secrets to mask. */
export interface HttpTarget {
  sinkName: string;
  urlKey: string;
  url: string;
  secrets: string[];
}

/**
 * The keys every HTTP sink shares (timeout_ms, compress, ca_file, tls_insecure_skip_verify,
 * allow_insecure_http, retry), with the URL checked: https, or plain http to loopback unless allowed.
 */
export function readHttpTransportConfig(
  keys: HttpTransportKeys,
  target: HttpTarget,
  ctx: SinkContext,
): HttpTransportConfig {
  const { sinkName, urlKey } = target;
  let baseUrl: URL;
  try {
    baseUrl = new URL(target.url);
  } catch {
    throw new ConfigError(`sink ${sinkName}: ${urlKey} is not a valid URL`);
  }
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') {
    throw new ConfigError(`sink ${sinkName}: ${urlKey} must be an https:// (or loopback http://) URL`);
  }
  if (baseUrl.protocol === 'http:' && !isLoopbackHost(baseUrl.hostname)) {
    if (!keys.allow_insecure_http) {
      throw new ConfigError(
        `sink ${sinkName}: refusing plain-HTTP ${urlKey} ${displayUrl(baseUrl)}: events and credentials ` +
          'would cross the network unencrypted; use https:// or set allow_insecure_http: true',
      );
    }
    ctx.logger.warn(
      { sink: sinkName, url: displayUrl(baseUrl) },
      'allow_insecure_http is set: events and credentials are sent unencrypted',
    );
  }
  return {
    sinkName,
    baseUrl,
    timeoutMs: keys.timeout_ms,
    compress: keys.compress,
    retry: retryPolicyOf(keys.retry),
    tls: readTlsSettings(sinkName, keys, ctx),
    // A header's credential can come back alone (an intake echoing the token it refused): mask that too.
    secrets: target.secrets.flatMap(secretParts).filter((s) => s.length > 0),
  };
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type ResponseVerdict = 'ok' | 'retry' | 'fail';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'HEAD';
  /** Appended to the base URL's path ('' = the base URL itself). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** One attempt only (reachability checks). */
  once?: boolean;
  /** Classifies a response; the default: 2xx ok, 429 and 5xx retry, anything else fail. */
  classify?: (response: HttpResponse) => ResponseVerdict;
  /** Whether the body may be gzipped (default: the sink's `compress`). */
  compress?: boolean;
}

export function defaultVerdict(response: HttpResponse): ResponseVerdict {
  if (response.status >= 200 && response.status < 300) return 'ok';
  if (response.status === 429 || response.status >= 500) return 'retry';
  return 'fail';
}

/**
 * The start of an answer's body, for an error, with the sink's secrets masked first: a secret cut at the
 * excerpt's end would no longer match whole, and its first characters would be quoted.
 */
export function bodyExcerpt(body: Buffer, secrets: readonly string[]): string {
  const longest = Math.max(0, ...secrets.map((s) => Buffer.byteLength(s, 'utf8')));
  const head = maskSecrets(body.subarray(0, ERROR_EXCERPT_BYTES + longest).toString('utf8'), secrets);
  return Buffer.from(head, 'utf8').subarray(0, ERROR_EXCERPT_BYTES).toString('utf8');
}

interface AttemptFailure {
  reason: string;
  retryable: boolean;
  status?: number;
  retryAfter?: number;
}

type AttemptOutcome = { ok: true; response: HttpResponse } | { ok: false; failure: AttemptFailure };

export class HttpTransport {
  readonly config: HttpTransportConfig;
  private readonly agent: http.Agent;
  private readonly abort = new AbortController();

  /** The transport of an HTTP sink, from its shared keys and its URL. */
  static forSink(keys: HttpTransportKeys, target: HttpTarget, ctx: SinkContext): HttpTransport {
    return new HttpTransport(readHttpTransportConfig(keys, target, ctx), ctx);
  }

  constructor(
    config: HttpTransportConfig,
    private readonly ctx: SinkContext,
  ) {
    this.config = config;
    this.agent =
      config.baseUrl.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: config.tls.ca,
            rejectUnauthorized: config.tls.rejectUnauthorized,
          })
        : new http.Agent({ keepAlive: true });
  }

  get sinkName(): string {
    return this.config.sinkName;
  }

  mask(text: string): string {
    return maskSecrets(text, this.config.secrets);
  }

  /** The start of an answer's body for an error, the secrets masked. */
  excerpt(body: Buffer): string {
    return bodyExcerpt(body, this.config.secrets);
  }

  urlFor(path: string): URL {
    const url = new URL(this.config.baseUrl.href);
    url.pathname = url.pathname.replace(/\/+$/, '') + path;
    return url;
  }

  /** Sends the request, retrying per the policy; resolves with the accepted response or rejects. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = this.urlFor(req.path);
    const where = `${req.method} ${displayUrl(url)}`;
    const headers: Record<string, string> = {
      'User-Agent': `iam-inventory/${packageVersion}`,
      ...req.headers,
    };
    let body: Buffer | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
      if (req.compress ?? this.config.compress) {
        body = await gzip(body);
        headers['Content-Encoding'] = 'gzip';
      }
      headers['Content-Length'] = String(body.length);
    }
    const classify = req.classify ?? defaultVerdict;
    const policy = this.config.retry;
    const maxAttempts = req.once ? 1 : policy.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, req.method, headers, body, classify);
      if (outcome.ok) return outcome.response;
      const f = outcome.failure;
      if (!f.retryable) {
        throw new SinkDeliveryError(
          this.mask(`sink ${this.sinkName}: ${where} ${f.reason}`),
          false,
          f.status,
        );
      }
      if (attempt >= maxAttempts) {
        throw new SinkDeliveryError(
          this.mask(`sink ${this.sinkName}: ${where} failed after ${attempt} attempt(s): ${f.reason}`),
          true,
          f.status,
        );
      }
      const delay = f.retryAfter ?? backoffDelayMs(policy, attempt);
      this.ctx.logger.warn(
        {
          sink: this.sinkName,
          attempt,
          max_attempts: maxAttempts,
          delay_ms: delay,
          reason: this.mask(f.reason),
        },
        'delivery attempt failed; retrying',
      );
      this.ctx.onRetry?.(this.sinkName, f.status !== undefined ? `http_${f.status}` : 'network');
      await this.sleep(delay);
    }
  }

  /** Waits like the retry loop does, but stops at once when the sink is closed. */
  async sleep(ms: number): Promise<void> {
    try {
      await sleep(ms, this.abort.signal);
    } catch {
      throw new SinkDeliveryError(`sink ${this.sinkName}: closed while waiting to retry`, true);
    }
  }

  private async attempt(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    classify: (response: HttpResponse) => ResponseVerdict,
  ): Promise<AttemptOutcome> {
    let response: HttpResponse;
    try {
      response = await this.exchange(url, method, headers, body);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const tlsReason = tlsVerificationFailure(err);
      if (tlsReason !== undefined) return { ok: false, failure: { reason: tlsReason, retryable: false } };
      if (this.abort.signal.aborted)
        return { ok: false, failure: { reason: 'sink closed', retryable: false } };
      const reason = `network error: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ');
      return { ok: false, failure: { reason, retryable: true } };
    }
    const verdict = classify(response);
    if (verdict === 'ok') return { ok: true, response };
    const reason = `answered HTTP ${response.status}: ${this.excerpt(response.body)}`;
    if (verdict === 'fail')
      return { ok: false, failure: { reason, retryable: false, status: response.status } };
    const retryAfter =
      response.status === 429 || response.status === 503
        ? retryAfterMs(headerValue(response.headers['retry-after']), this.config.retry)
        : undefined;
    return { ok: false, failure: { reason, retryable: true, status: response.status, retryAfter } };
  }

  private exchange(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
  ): Promise<HttpResponse> {
    const client = url.protocol === 'https:' ? https : http;
    const timeoutMs = this.config.timeoutMs;
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const done = (err: Error | undefined, response?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(response as HttpResponse);
      };
      const req = client.request(
        url,
        { method, headers, agent: this.agent, signal: this.abort.signal },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () =>
            done(undefined, {
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', (err) => done(err));
          res.on('close', () => {
            if (!res.complete) done(new Error('connection closed before the response was complete'));
          });
        },
      );
      const timer = setTimeout(() => {
        const err = Object.assign(new Error(`no complete response within timeout_ms ${timeoutMs}`), {
          code: 'ETIMEDOUT',
        });
        done(err);
        req.destroy(err);
      }, timeoutMs);
      req.on('error', (err) => done(err));
      req.end(body);
    });
  }

  close(): void {
    this.abort.abort();
    this.agent.destroy();
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
