// The service module contract. A service is one module: the server routes a verified request to the module
// named by the SigV4 credential scope's service, calls the action's handler, and turns an EmuError into the
// protocol's error shape. Adding a service: a file in services/ exporting its module, and its line in
// services/registry.ts. Adding a wire protocol: its module type here (added to ServiceModule), an endpoint
// in protocols/ and a case in protocols/endpoint-for.ts (REST-XML for S3 is the latest).
import type { EmuCredential, EmuWorld } from './model.js';

export class EmuError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

export interface EmuRequestContext {
  world: EmuWorld;
  /** The verified caller. */
  credential: EmuCredential;
  /** The account the caller acts in (credential.accountId). */
  accountId: string;
  region: string;
  requestId: string;
  /** Emulator clock (ms); tests may pin it. */
  now: number;
  /**
   * Set by a short_page fault: list actions return fewer items than asked for (MaxItems / MaxResults) while
   * still reporting more (IsTruncated + Marker, NextToken), the case AWS documents and clients must handle.
   */
  shortPage?: boolean;
}

/** Query parameters by name: Action, Version, UserName, Marker, Filter.member.1 ... */
export type QueryParams = Record<string, string>;

/** Returns the inner XML of <ActionResult> (already escaped); throws EmuError for an AWS error. */
export type QueryAction = (params: QueryParams, ctx: EmuRequestContext) => string;

/** Returns the response body's JSON object; throws EmuError for an AWS error. */
export type JsonAction = (
  body: Record<string, unknown>,
  ctx: EmuRequestContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** AWS Query protocol (IAM, STS): form-encoded params in, XML out. */
export interface QueryServiceModule {
  protocol: 'query';
  /** SigV4 signing name, e.g. "iam". */
  signingName: string;
  /** e.g. "https://iam.amazonaws.com/doc/2010-05-08/" */
  xmlNamespace: string;
  apiVersion: string;
  /**
   * Handlers return the inner XML of <ActionResult> (already escaped); the server wraps it in
   * <ActionResponse xmlns=...><ActionResult>...</ActionResult><ResponseMetadata>...</ResponseMetadata>.
   */
  actions: Record<string, QueryAction>;
}

/**
 * AWS JSON protocol: X-Amz-Target "<prefix>.<Action>". 1.1 (Organizations, Identity Store, SSO Admin) by
 * default; 1.0 (SQS) differs only in its content type. An action may answer later (SQS long polling).
 */
export interface JsonServiceModule {
  protocol: 'json';
  jsonVersion?: '1.0' | '1.1';
  signingName: string;
  /** X-Amz-Target prefix, e.g. "AWSOrganizationsV20161128". */
  targetPrefix: string;
  actions: Record<string, JsonAction>;
}

/** One REST call as a REST-XML service sees it: path-style addressing, http://host:port/<bucket>/<key>. */
export interface RestRequest {
  method: string;
  /** '' for the service root. */
  bucket: string;
  /** Decoded object key; '' for a bucket-level call. */
  key: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What a REST action answers: status (default 200), headers and body (XML text or bytes). */
export interface RestAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type RestAction = (request: RestRequest, ctx: EmuRequestContext) => RestAnswer;

/** REST-XML (S3): the action follows from the method, the path and the query; errors are <Error> XML. */
export interface RestXmlServiceModule {
  protocol: 'rest-xml';
  signingName: string;
  /** The action a request calls ('' when none matches). */
  actionOf(request: RestRequest): string;
  actions: Record<string, RestAction>;
}

export type ServiceModule = QueryServiceModule | JsonServiceModule | RestXmlServiceModule;
