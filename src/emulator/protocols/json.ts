// AWS JSON 1.1 protocol (Organizations, Identity Store, SSO Admin): X-Amz-Target "<prefix>.<Action>",
// JSON body in and out, errors as {"__type", "message"} with the x-amzn-ErrorType header.
import { EmuError } from '../service.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const JSON_1_0_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Splits X-Amz-Target into prefix and action; undefined when the header is missing or malformed. */
export function parseTarget(target: string | undefined): { prefix: string; action: string } | undefined {
  if (target === undefined) return undefined;
  const dot = target.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return { prefix: target.slice(0, dot), action: target.slice(dot + 1) };
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new EmuError('SerializationException', 'Could not parse the request body as JSON', 400);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EmuError('SerializationException', 'The request body must be a JSON object', 400);
  }
  return parsed as Record<string, unknown>;
}

export function renderJsonError(error: EmuError): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'x-amzn-ErrorType': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message, Message: error.message }),
  };
}
