// One signed AWS call, step by step: verify SigV4 and route by the credential scope's service, read the
// action and count it, check the caller's allowed actions, throttle per account and service, apply the
// injected faults, then run the action. Every failure is answered in the service's own protocol.
import { randomUUID } from 'node:crypto';
import { AccountThrottle, type FaultController } from '../faults.js';
import type { EmuWorld } from '../model.js';
import { endpointFor } from '../protocols/endpoint-for.js';
import type { EndpointCall, HttpReply, ServiceEndpoint } from '../protocols/service-endpoint.js';
import { EmuError, type EmuRequestContext } from '../service.js';
import { iamService } from '../services/iam/iam-service.js';
import { BUILTIN_SERVICES } from '../services/registry.js';
import { verifySigV4, type SignedRequest, type VerifiedCaller } from '../sigv4.js';
import type { StatsRecorder } from '../stats.js';
import type { EmulatorOptions } from './emulator-options.js';
import { RESET_REPLY, RandomFaults, applyFaultRules, sleep } from './fault-injection.js';

/** The service named in the Authorization header's credential scope, read before verification. */
function scopeService(authorization: string | undefined): string | undefined {
  return authorization === undefined
    ? undefined
    : /Credential=[^/,]+\/[^/,]+\/[^/,]+\/([^/,]+)\//.exec(authorization)?.[1];
}

function toEmuError(err: unknown): EmuError {
  if (err instanceof EmuError) return err;
  return new EmuError('InternalFailure', err instanceof Error ? err.message : String(err), 500, 'Receiver');
}

type Routed = { endpoint: ServiceEndpoint; caller: VerifiedCaller } | { reply: HttpReply };

export class SignedCalls {
  private readonly endpoints = new Map<string, ServiceEndpoint>();
  /** Answers what fails before the service is known, in IAM's shape. */
  private readonly fallback = endpointFor(iamService);
  private readonly throttle: AccountThrottle | undefined;
  private readonly randomFaults: RandomFaults;
  private readonly now: () => number;

  constructor(
    private readonly world: EmuWorld,
    private readonly options: EmulatorOptions,
    private readonly stats: StatsRecorder,
    private readonly faults: FaultController,
  ) {
    for (const m of [...BUILTIN_SERVICES, ...(options.services ?? [])]) {
      this.endpoints.set(m.signingName, endpointFor(m));
    }
    const rps = options.throttleRps ?? 0;
    this.throttle = rps > 0 ? new AccountThrottle(rps, options.throttleBurst ?? Math.max(1, rps)) : undefined;
    this.randomFaults = new RandomFaults(options);
    this.now = options.now ?? Date.now;
  }

  async answer(request: SignedRequest): Promise<HttpReply> {
    const requestId = randomUUID();
    const routed = this.route(request, requestId);
    if ('reply' in routed) return routed.reply;
    const { endpoint, caller } = routed;
    let call: EndpointCall;
    try {
      call = endpoint.readCall(request);
    } catch (err) {
      return endpoint.error(toEmuError(err), requestId);
    }
    const accountId = caller.credential.accountId;
    const end = this.stats.recordCall(accountId, `${endpoint.signingName}:${call.action || '(none)'}`);
    try {
      return await this.answerCall(endpoint, caller, call, requestId);
    } finally {
      end();
    }
  }

  private async answerCall(
    endpoint: ServiceEndpoint,
    caller: VerifiedCaller,
    call: EndpointCall,
    requestId: string,
  ): Promise<HttpReply> {
    const accountId = caller.credential.accountId;
    if (call.run === undefined) return endpoint.error(endpoint.unknownAction(call.action), requestId);

    const permission = `${endpoint.signingName}:${call.action}`;
    const refused = this.refusal(endpoint, caller, call, permission);
    if (refused !== undefined) return endpoint.error(refused, requestId);
    if ((this.options.latencyMs ?? 0) > 0) await sleep(this.options.latencyMs ?? 0);

    const rules = this.faults.take({
      service: endpoint.signingName,
      action: call.action,
      accountId,
      userName: call.userName,
    });
    const ctx: EmuRequestContext = {
      world: this.world,
      credential: caller.credential,
      accountId,
      region: caller.region,
      requestId,
      now: this.now(),
    };
    const faulted = await applyFaultRules(
      rules,
      endpoint,
      ctx,
      { userName: call.userName, permission },
      this.stats,
    );
    if (faulted.reply !== undefined) return faulted.reply;
    return await this.run(endpoint, call.run, ctx, { permission, malformed: faulted.malformed });
  }

  /** Verifies the signature and finds the service; a failure is answered as the scope's service would. */
  private route(request: SignedRequest, requestId: string): Routed {
    const guessed = this.endpoints.get(scopeService(request.headers.authorization) ?? '');
    try {
      const caller = verifySigV4(request, this.world, this.now());
      const endpoint = this.endpoints.get(caller.service);
      if (endpoint === undefined) {
        throw new EmuError('UnrecognizedService', `The emulator does not serve ${caller.service}.`, 400);
      }
      return { endpoint, caller };
    } catch (err) {
      return { reply: (guessed ?? this.fallback).error(toEmuError(err), requestId) };
    }
  }

  /** Why the call is refused before it runs: an action the credential may not call, or throttling. */
  private refusal(
    endpoint: ServiceEndpoint,
    caller: VerifiedCaller,
    call: EndpointCall,
    permission: string,
  ): EmuError | undefined {
    const { credential } = caller;
    const accountId = credential.accountId;
    if (credential.allowedActions !== undefined && !credential.allowedActions.has(permission)) {
      const resource =
        call.userName !== undefined
          ? `arn:aws:iam::${accountId}:user/${call.userName}`
          : `arn:aws:${endpoint.signingName}::${accountId}:*`;
      return endpoint.accessDenied(
        `User: ${credential.arn} is not authorized to perform: ${permission} on resource: ${resource}`,
      );
    }
    const bucketThrottled =
      this.throttle !== undefined && !this.throttle.tryTake(accountId, endpoint.signingName);
    if (bucketThrottled || this.randomFaults.throttled(permission)) {
      this.stats.recordThrottled(accountId, permission);
      return endpoint.throttled();
    }
    return undefined;
  }

  /**
   * Runs the action unless a random 5xx answers first; cuts the answer when it is to be malformed; resets
   * the connection instead of answering when a random reset says so.
   */
  private async run(
    endpoint: ServiceEndpoint,
    action: NonNullable<EndpointCall['run']>,
    ctx: EmuRequestContext,
    fault: { permission: string; malformed: boolean },
  ): Promise<HttpReply> {
    const randomError = this.randomFaults.error(fault.permission);
    if (randomError !== undefined) {
      this.stats.recordFault(ctx.accountId);
      return endpoint.error(randomError, ctx.requestId);
    }
    let malformed = fault.malformed;
    if (!malformed && this.randomFaults.malformed(fault.permission)) {
      malformed = true;
      this.stats.recordFault(ctx.accountId);
    }
    if (this.randomFaults.reset(fault.permission)) {
      this.stats.recordFault(ctx.accountId);
      return RESET_REPLY;
    }
    try {
      const answer = await action(ctx);
      if (typeof answer !== 'string') {
        return malformed ? { ...answer, body: answer.body.slice(0, answer.body.length >> 1) } : answer;
      }
      return endpoint.ok(malformed ? endpoint.malformed(answer) : answer, ctx.requestId);
    } catch (err) {
      return endpoint.error(toEmuError(err), ctx.requestId);
    }
  }
}
