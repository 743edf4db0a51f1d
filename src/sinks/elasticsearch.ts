// Elasticsearch / OpenSearch-compatible bulk API with `create` actions (what data streams require).
// A bulk answer of 200 can still hold failed items: 429 and 5xx items are resent (only those, with backoff,
// within retry.max_attempts rounds); any other item failure is final and returned as rejected with the
// item's error type and reason.
import type { ElasticsearchSinkConfig } from '../config/config.js';
import { batchLimitsOf, splitBatch } from './batcher.js';
import { SinkDeliveryError } from './delivery-error.js';
import { HttpTransport, displayUrl } from './http-transport.js';
import { backoffDelayMs } from './retry-policy.js';
import type { OutboundEvent, RejectedEvent, SendResult, Sink, SinkContext } from './sink.js';

interface BulkItemResult {
  status?: number;
  error?: { type?: string; reason?: string };
}

interface BulkAnswer {
  errors?: boolean;
  items?: Record<string, BulkItemResult>[];
}

function isRetryableItem(status: number): boolean {
  return status === 429 || status >= 500;
}

export function createElasticsearchSink(
  config: ElasticsearchSinkConfig,
  ctx: SinkContext,
  name: string,
): Sink {
  const { index, index_in_path: indexInPath } = config;
  const { headers, secrets } = authHeaders(config, name);
  const limits = batchLimitsOf(config.batch);
  const transport = HttpTransport.forSink(
    config,
    { sinkName: name, urlKey: 'url', url: config.url, secrets },
    ctx,
  );
  const action = indexInPath ? '{"create":{}}\n' : `${JSON.stringify({ create: { _index: index } })}\n`;
  const bulkPath = indexInPath ? `/${encodeURIComponent(index)}/_bulk` : '/_bulk';
  const bulk: Bulk = { name, ctx, transport, headers, action, path: bulkPath };

  return {
    name,
    type: 'elasticsearch',
    async send(batch: readonly OutboundEvent[]): Promise<SendResult> {
      const entryBytes = Buffer.byteLength(action, 'utf8') + 1;
      const indices = batch.map((_e, i) => i);
      const rejected: RejectedEvent[] = [];
      const chunks = splitBatch(
        indices,
        (i) => entryBytes + Buffer.byteLength((batch[i] as OutboundEvent).json, 'utf8'),
        limits,
      );
      for (const chunk of chunks) rejected.push(...(await deliver(bulk, batch, chunk)));
      return { rejected };
    },
    check: () => checkCluster(transport, headers),
    async close(): Promise<void> {
      transport.close();
    },
  };
}

/** The Authorization header (API key or basic auth) and the secrets the transport masks. */
function authHeaders(
  config: ElasticsearchSinkConfig,
  name: string,
): { headers: Record<string, string>; secrets: string[] } {
  const { api_key: apiKey, username, password } = config;
  const headers: Record<string, string> = {};
  const secrets: string[] = [];
  if (apiKey !== undefined) {
    if (username !== undefined || password !== undefined) {
      throw new Error(`sink ${name}: set either api_key or username/password, not both`);
    }
    headers.Authorization = `ApiKey ${apiKey}`;
    secrets.push(apiKey);
  } else if (username !== undefined || password !== undefined) {
    if (username === undefined || password === undefined) {
      throw new Error(`sink ${name}: basic auth needs both username and password`);
    }
    const basic = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    headers.Authorization = `Basic ${basic}`;
    secrets.push(password, basic);
  }
  return { headers, secrets };
}

/** What one sink's bulk requests share. */
interface Bulk {
  name: string;
  ctx: SinkContext;
  transport: HttpTransport;
  headers: Record<string, string>;
  /** The action line before every document. */
  action: string;
  path: string;
}

function fail(bulk: Bulk, message: string, retryable: boolean): never {
  throw new SinkDeliveryError(bulk.transport.mask(`sink ${bulk.name}: ${message}`), retryable);
}

/** Sends one request's worth of events, resending retryable items; returns the items refused for good. */
async function deliver(
  bulk: Bulk,
  batch: readonly OutboundEvent[],
  indices: number[],
): Promise<RejectedEvent[]> {
  const { transport, ctx, name } = bulk;
  const policy = transport.config.retry;
  const rejected: RejectedEvent[] = [];
  let pending = indices;
  for (let round = 1; ; round++) {
    const items = await postBulk(bulk, batch, pending);
    if (items === undefined) return rejected;
    const outcome = sortItems(bulk, items, pending);
    rejected.push(...outcome.rejected);
    const { retry, lastRetryReason } = outcome;
    if (retry.length === 0) return rejected;
    if (round >= policy.maxAttempts) {
      fail(
        bulk,
        `${retry.length} document(s) still failing after ${round} bulk attempts: ${lastRetryReason}`,
        true,
      );
    }
    const delay = backoffDelayMs(policy, round);
    ctx.logger.warn(
      {
        sink: name,
        attempt: round,
        retrying: retry.length,
        delay_ms: delay,
        reason: transport.mask(lastRetryReason),
      },
      'bulk items failed; retrying them',
    );
    ctx.onRetry?.(name, 'bulk_item');
    await transport.sleep(delay);
    pending = retry;
  }
}

/** One bulk request; its per-item results when some failed, undefined when every item was accepted. */
async function postBulk(
  bulk: Bulk,
  batch: readonly OutboundEvent[],
  pending: number[],
): Promise<BulkItemResult[] | undefined> {
  const body = pending.map((i) => bulk.action + (batch[i] as OutboundEvent).json + '\n').join('');
  const res = await bulk.transport.request({
    method: 'POST',
    path: bulk.path,
    headers: { ...bulk.headers, 'Content-Type': 'application/x-ndjson' },
    body,
  });
  let answer: BulkAnswer;
  try {
    answer = JSON.parse(res.body.toString('utf8')) as BulkAnswer;
  } catch {
    return fail(bulk, `bulk answer is not JSON: ${bulk.transport.excerpt(res.body)}`, true);
  }
  if (answer.errors !== true) return undefined;
  const items = answer.items ?? [];
  if (items.length !== pending.length) {
    fail(bulk, `bulk answer has ${items.length} items for ${pending.length} documents`, true);
  }
  return items.map((item) => Object.values(item)[0] ?? {});
}

/** Splits failed items into those to resend (429, 5xx) and those refused for good. */
function sortItems(
  bulk: Bulk,
  items: BulkItemResult[],
  pending: number[],
): { retry: number[]; rejected: RejectedEvent[]; lastRetryReason: string } {
  const retry: number[] = [];
  const rejected: RejectedEvent[] = [];
  let lastRetryReason = '';
  items.forEach((result, position) => {
    const status = result.status ?? 0;
    const batchIndex = pending[position] as number;
    if (status >= 200 && status < 300) return;
    const why =
      `HTTP ${status} ${result.error?.type ?? 'unknown_error'}: ${result.error?.reason ?? ''}`.slice(0, 500);
    if (isRetryableItem(status)) {
      retry.push(batchIndex);
      lastRetryReason = why;
    } else {
      rejected.push({
        index: batchIndex,
        reason: bulk.transport.mask(`Elasticsearch refused the document: ${why}`),
      });
    }
  });
  return { retry, rejected, lastRetryReason };
}

async function checkCluster(transport: HttpTransport, headers: Record<string, string>): Promise<string> {
  const res = await transport.request({ method: 'GET', path: '/', headers, once: true });
  let version = '';
  try {
    const info = JSON.parse(res.body.toString('utf8')) as {
      version?: { number?: string };
      cluster_name?: string;
    };
    version = ` (cluster ${info.cluster_name ?? '?'}, version ${info.version?.number ?? '?'})`;
  } catch {
    // A proxy in front may answer something else; reachability with valid credentials is what counts.
  }
  return `${displayUrl(transport.config.baseUrl)} reachable${version}`;
}
