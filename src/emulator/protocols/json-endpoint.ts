// The server side of AWS JSON 1.1 (Organizations, Identity Store, SSO Admin): the action is named by
// X-Amz-Target "<prefix>.<Action>", input and answer are JSON objects, errors carry __type.
import { EmuError, type JsonServiceModule } from '../service.js';
import {
  JSON_1_0_CONTENT_TYPE,
  JSON_CONTENT_TYPE,
  parseJsonBody,
  parseTarget,
  renderJsonError,
} from './json.js';
import type { ServiceEndpoint } from './service-endpoint.js';

function headerString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

function answer(
  result: Record<string, unknown> | Promise<Record<string, unknown>>,
): string | Promise<string> {
  return result instanceof Promise ? result.then((r) => JSON.stringify(r)) : JSON.stringify(result);
}

export function jsonEndpoint(module: JsonServiceModule): ServiceEndpoint {
  const contentType = module.jsonVersion === '1.0' ? JSON_1_0_CONTENT_TYPE : JSON_CONTENT_TYPE;
  return {
    signingName: module.signingName,
    readCall: ({ headers, body }) => {
      const target = parseTarget(headerString(headers['x-amz-target']));
      const action = target?.prefix === module.targetPrefix ? target.action : '';
      const input = parseJsonBody(body);
      const handler = module.actions[action];
      return {
        action,
        userName: stringField(input, 'UserName'),
        run: handler === undefined ? undefined : (ctx) => answer(handler(input, ctx)),
      };
    },
    ok: (body, requestId) => ({
      status: 200,
      headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
      body,
    }),
    error: (error, requestId) => {
      const rendered = renderJsonError(error);
      return {
        status: error.status,
        headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, ...rendered.headers },
        body: rendered.body,
      };
    },
    malformed: (json) => json.slice(0, Math.floor(json.length / 2)),
    unknownAction: (action) => new EmuError('UnknownOperationException', `Unknown operation ${action}`, 400),
    accessDenied: (message) => new EmuError('AccessDeniedException', message, 403),
    throttled: () => new EmuError('ThrottlingException', 'Rate exceeded', 400),
    userNotFound: (userName) => new EmuError('ResourceNotFoundException', `User ${userName} not found.`, 400),
  };
}
