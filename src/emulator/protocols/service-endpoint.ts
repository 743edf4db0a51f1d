// How the server speaks a service's wire protocol: which action a signed request calls and with what
// input, and the shape of its answer and of each AWS error. A service module only declares its protocol
// and actions; the endpoint for that protocol does the rest (see endpoint-for.ts).
import type { EmuError, EmuRequestContext } from '../service.js';
import type { SignedRequest } from '../sigv4.js';

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  /** Bytes only for answers that are not text (an S3 object). */
  body: string | Buffer;
  /** Reset the connection instead of answering (the reset fault). */
  reset?: boolean;
}

export interface EndpointCall {
  /** '' when the request names no action. */
  action: string;
  /** The user the call names, which fault rules match on and access-denied messages cite. */
  userName: string | undefined;
  /**
   * Runs the action and returns the response body, or the whole reply when status and headers depend on the
   * action (REST protocols); undefined when the service has no such action.
   */
  run: ((ctx: EmuRequestContext) => string | HttpReply | Promise<string | HttpReply>) | undefined;
}

export interface ServiceEndpoint {
  /** The SigV4 signing name the server routes by, e.g. "iam". */
  readonly signingName: string;
  /** Throws EmuError when the request cannot be read (e.g. a body that does not parse). */
  readCall(request: SignedRequest): EndpointCall;
  ok(body: string, requestId: string): HttpReply;
  error(error: EmuError, requestId: string): HttpReply;
  /** The same 200 body cut so that no client can parse it (the malformed fault). */
  malformed(body: string): string;
  unknownAction(action: string): EmuError;
  accessDenied(message: string): EmuError;
  throttled(): EmuError;
  /** The answer for a user that vanished between a listing and this call (the vanish fault). */
  userNotFound(userName: string): EmuError;
}
