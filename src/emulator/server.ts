// The emulator's HTTP server: verifies SigV4, routes by the credential scope's service to a service module,
// applies throttling and injected faults, counts calls, and serves the unsigned admin API under /_emulator/.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleAdminRequest } from './admin.js';
import {
  AccountThrottle,
  FaultController,
  SeededRandom,
  throttlingError,
  type FaultRuleInfo,
} from './faults.js';
import { generateWorld, type GeneratorOptions } from './generator.js';
import type { GroundTruth } from './ground-truth.js';
import { JSON_CONTENT_TYPE, parseJsonBody, parseTarget, renderJsonError } from './json-protocol.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, type EmuWorld } from './model.js';
import { parseQueryParams, renderQueryError, renderQueryResponse } from './query-protocol.js';
import {
  EmuError,
  type EmuRequestContext,
  type JsonServiceModule,
  type QueryServiceModule,
  type ServiceModule,
} from './service.js';
import { iamService } from './services/iam.js';
import { identityStoreService } from './services/identitystore.js';
import { organizationsService } from './services/organizations.js';
import { ssoAdminService } from './services/sso-admin.js';
import { stsService } from './services/sts.js';
import { verifySigV4 } from './sigv4.js';
import { StatsRecorder, type EmulatorStats } from './stats.js';

export interface EmulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Address to listen on (default 127.0.0.1); 0.0.0.0 lets other containers of a network reach it. */
  host?: string;
  /** A prepared world; when absent one is generated from `generator`. */
  world?: EmuWorld;
  truth?: GroundTruth;
  generator?: GeneratorOptions;
  /** Per-account token bucket refill rate (requests per second); absent or 0 = no throttling. */
  throttleRps?: number;
  /** Bucket size; defaults to max(1, throttleRps). */
  throttleBurst?: number;
  /** Probability (0..1) of a random 500 InternalFailure / 503 ServiceUnavailable per call. */
  errorRate?: number;
  /** Added to every signed call. */
  latencyMs?: number;
  /** Probability (0..1) of a malformed (unparseable) 200 response per call. */
  malformedRate?: number;
  /** Seed for the fault randomness (default 1). */
  seed?: number;
  /** The emulator's clock for timestamps (credential report, session expiry); the throttle uses real time. */
  now?: () => number;
  /** Extra service modules (e.g. Organizations, Identity Store) keyed by their signing name. */
  services?: ServiceModule[];
}

export interface Emulator {
  /** e.g. "http://127.0.0.1:43123" */
  url: string;
  port: number;
  world: EmuWorld;
  truth?: GroundTruth;
  stats(): EmulatorStats;
  resetStats(): void;
  faults: FaultController;
  stop(): Promise<void>;
}

/** The world generated when neither `world` nor `generator` is given. */
export const DEFAULT_GENERATOR_OPTIONS: GeneratorOptions = {
  seed: 1,
  accounts: 1,
  usersPerAccount: 100,
  groupsPerAccount: 10,
};

/** The services every emulator serves; modules added here become routable by their signing name. */
export const BUILTIN_SERVICES: readonly ServiceModule[] = [
  iamService,
  stsService,
  organizationsService,
  identityStoreService,
  ssoAdminService,
];

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The service named in the Authorization header's credential scope, read before verification. */
function scopeService(authorization: string | undefined): string | undefined {
  return authorization === undefined
    ? undefined
    : /Credential=[^/,]+\/[^/,]+\/[^/,]+\/([^/,]+)\//.exec(authorization)?.[1];
}

function ensureDefaultCredential(world: EmuWorld): void {
  if (!world.credentials.has(DEFAULT_ACCESS_KEY_ID)) {
    world.credentials.set(DEFAULT_ACCESS_KEY_ID, {
      accessKeyId: DEFAULT_ACCESS_KEY_ID,
      secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
      accountId: world.defaultAccountId,
      arn: `arn:aws:iam::${world.defaultAccountId}:root`,
      userId: world.defaultAccountId,
    });
  }
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

class EmulatorHandler {
  readonly stats = new StatsRecorder();
  readonly faults = new FaultController();
  private readonly services = new Map<string, ServiceModule>();
  private readonly throttle: AccountThrottle | undefined;
  private readonly random: SeededRandom;
  private readonly now: () => number;

  constructor(
    readonly world: EmuWorld,
    private readonly options: EmulatorOptions,
  ) {
    for (const m of [...BUILTIN_SERVICES, ...(options.services ?? [])]) this.services.set(m.signingName, m);
    const rps = options.throttleRps ?? 0;
    this.throttle = rps > 0 ? new AccountThrottle(rps, options.throttleBurst ?? Math.max(1, rps)) : undefined;
    this.random = new SeededRandom(options.seed ?? 1);
    this.now = options.now ?? Date.now;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '/';
    if (url.startsWith('/_emulator/') || url === '/_emulator') {
      const reply = await handleAdminRequest(req.method ?? 'GET', url, body, this);
      this.send(res, reply);
      return;
    }
    this.send(res, await this.handleSigned(req, url, body));
  }

  private send(res: ServerResponse, reply: Reply): void {
    const payload = Buffer.from(reply.body, 'utf8');
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(payload.length) });
    res.end(payload);
  }

  private async handleSigned(req: IncomingMessage, url: string, body: Buffer): Promise<Reply> {
    const requestId = randomUUID();
    const guessed = this.services.get(scopeService(req.headers.authorization) ?? '');
    let module: ServiceModule = guessed ?? iamService;
    let caller;
    try {
      caller = verifySigV4(
        { method: req.method ?? 'POST', url, headers: req.headers, body },
        this.world,
        this.now(),
      );
      const routed = this.services.get(caller.service);
      if (routed === undefined) {
        throw new EmuError('UnrecognizedService', `The emulator does not serve ${caller.service}.`, 400);
      }
      module = routed;
    } catch (err) {
      return this.errorReply(module, toEmuError(err), requestId);
    }

    const credential = caller.credential;
    const accountId = credential.accountId;
    let action: string;
    let queryParams: Record<string, string> = {};
    let jsonBody: Record<string, unknown> = {};
    try {
      if (module.protocol === 'query') {
        queryParams = parseQueryParams(url, body, req.headers['content-type']);
        action = queryParams.Action ?? '';
      } else {
        const target = parseTarget(headerString(req.headers['x-amz-target']));
        action = target?.prefix === module.targetPrefix ? target.action : '';
        jsonBody = parseJsonBody(body);
      }
    } catch (err) {
      return this.errorReply(module, toEmuError(err), requestId);
    }
    this.stats.recordCall(accountId, `${module.signingName}:${action || '(none)'}`);

    const handler = module.actions[action];
    if (handler === undefined) {
      return this.errorReply(module, unknownAction(module, action), requestId);
    }

    const permission = `${module.signingName}:${action}`;
    const userName = module.protocol === 'query' ? queryParams.UserName : stringField(jsonBody, 'UserName');
    if (credential.allowedActions !== undefined && !credential.allowedActions.has(permission)) {
      const resource =
        userName !== undefined
          ? `arn:aws:iam::${accountId}:user/${userName}`
          : `arn:aws:${module.signingName}::${accountId}:*`;
      const code = module.protocol === 'query' ? 'AccessDenied' : 'AccessDeniedException';
      return this.errorReply(
        module,
        new EmuError(
          code,
          `User: ${credential.arn} is not authorized to perform: ${permission} on resource: ${resource}`,
          403,
        ),
        requestId,
      );
    }

    if (this.throttle !== undefined && !this.throttle.tryTake(accountId, module.signingName)) {
      this.stats.recordThrottled(accountId, permission);
      return this.errorReply(module, throttleErrorFor(module), requestId);
    }

    if ((this.options.latencyMs ?? 0) > 0) await sleep(this.options.latencyMs ?? 0);

    const rules = this.faults.take({ service: module.signingName, action, accountId, userName });
    const ctx: EmuRequestContext = {
      world: this.world,
      credential,
      accountId,
      region: caller.region,
      requestId,
      now: this.now(),
    };
    const faulted = await this.applyRules(rules, module, ctx, userName, permission);
    if (faulted.reply !== undefined) return faulted.reply;

    const errorRate = this.options.errorRate ?? 0;
    if (errorRate > 0 && this.random.next() < errorRate) {
      this.stats.recordFault(accountId);
      const unavailable = this.random.next() < 0.5;
      const err = unavailable
        ? new EmuError('ServiceUnavailable', 'Service is unavailable. Please try again.', 503, 'Receiver')
        : new EmuError(
            'InternalFailure',
            'The request processing has failed because of an unknown error.',
            500,
            'Receiver',
          );
      return this.errorReply(module, err, requestId);
    }
    const malformedRate = this.options.malformedRate ?? 0;
    let malformed = faulted.malformed;
    if (!malformed && malformedRate > 0 && this.random.next() < malformedRate) {
      malformed = true;
      this.stats.recordFault(accountId);
    }

    try {
      if (module.protocol === 'query') {
        const queryHandler = handler as QueryServiceModule['actions'][string];
        const xml = renderQueryResponse(module, action, queryHandler(queryParams, ctx), requestId);
        return this.okReply(module, malformed ? malformedXml(xml) : xml, requestId);
      }
      const jsonHandler = handler as JsonServiceModule['actions'][string];
      const json = JSON.stringify(jsonHandler(jsonBody, ctx));
      return this.okReply(module, malformed ? json.slice(0, Math.floor(json.length / 2)) : json, requestId);
    } catch (err) {
      return this.errorReply(module, toEmuError(err), requestId);
    }
  }

  /** Applies matched fault rules; returns the reply when a rule answers the call itself. */
  private async applyRules(
    rules: FaultRuleInfo[],
    module: ServiceModule,
    ctx: EmuRequestContext,
    userName: string | undefined,
    permission: string,
  ): Promise<{ reply?: Reply; malformed: boolean }> {
    let malformed = false;
    let latency = 0;
    for (const r of rules) if (r.kind === 'latency') latency += r.latencyMs ?? 0;
    if (latency > 0) await sleep(latency);
    for (const rule of rules) {
      switch (rule.kind) {
        case 'throttle':
          this.stats.recordThrottled(ctx.accountId, permission);
          return { reply: this.errorReply(module, throttleErrorFor(module), ctx.requestId), malformed };
        case 'error': {
          this.stats.recordFault(ctx.accountId);
          const status = rule.status ?? 500;
          const err = new EmuError(
            rule.code ?? 'InternalFailure',
            rule.message ?? 'The request processing has failed because of an unknown error.',
            status,
            status >= 500 ? 'Receiver' : 'Sender',
          );
          return { reply: this.errorReply(module, err, ctx.requestId), malformed };
        }
        case 'vanish':
          if (userName !== undefined) {
            this.stats.recordFault(ctx.accountId);
            const err =
              module.protocol === 'query'
                ? new EmuError('NoSuchEntity', `The user with name ${userName} cannot be found.`, 404)
                : new EmuError('ResourceNotFoundException', `User ${userName} not found.`, 400);
            return { reply: this.errorReply(module, err, ctx.requestId), malformed };
          }
          break;
        case 'malformed':
          this.stats.recordFault(ctx.accountId);
          malformed = true;
          break;
        case 'short_page':
          ctx.shortPage = true;
          break;
        case 'latency':
          break;
      }
    }
    return { malformed };
  }

  private okReply(module: ServiceModule, body: string, requestId: string): Reply {
    const contentType = module.protocol === 'query' ? 'text/xml' : JSON_CONTENT_TYPE;
    return { status: 200, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId }, body };
  }

  private errorReply(module: ServiceModule, error: EmuError, requestId: string): Reply {
    if (module.protocol === 'json') {
      const rendered = renderJsonError(error);
      return {
        status: error.status,
        headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId, ...rendered.headers },
        body: rendered.body,
      };
    }
    return {
      status: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: renderQueryError(module.xmlNamespace, error, requestId),
    };
  }
}

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

function toEmuError(err: unknown): EmuError {
  if (err instanceof EmuError) return err;
  return new EmuError('InternalFailure', err instanceof Error ? err.message : String(err), 500, 'Receiver');
}

function unknownAction(module: ServiceModule, action: string): EmuError {
  if (module.protocol === 'json') {
    return new EmuError('UnknownOperationException', `Unknown operation ${action}`, 400);
  }
  return new EmuError(
    'InvalidAction',
    `Could not find operation ${action} for version ${(module as QueryServiceModule).apiVersion}`,
    400,
  );
}

function throttleErrorFor(module: ServiceModule): EmuError {
  if (module.protocol === 'json') return new EmuError('ThrottlingException', 'Rate exceeded', 400);
  return throttlingError();
}

/** A 200 whose XML does not parse: cut mid-document and left with a dangling, unterminated tag. */
function malformedXml(xml: string): string {
  return `${xml.slice(0, Math.floor(xml.length / 2))}<</`;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const built =
    options.world !== undefined
      ? { world: options.world, truth: options.truth }
      : generateWorld(options.generator ?? DEFAULT_GENERATOR_OPTIONS);
  const world = built.world;
  ensureDefaultCredential(world);
  const handler = new EmulatorHandler(world, options);
  const sockets = new Set<Socket>();
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    handler.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err instanceof Error ? err.message : 'internal error');
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.maxConnections = 10_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    world,
    truth: built.truth,
    stats: () => handler.stats.snapshot(),
    resetStats: () => handler.stats.reset(),
    faults: handler.faults,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        for (const s of sockets) s.destroy();
      });
      return stopping;
    },
  };
}

export type { EmulatorHandler };
