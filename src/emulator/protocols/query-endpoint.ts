// The server side of the AWS Query protocol (IAM, STS): the action is the Action parameter, the answer is
// <ActionResponse> XML, errors are <ErrorResponse> with IAM's codes.
import { throttlingError } from '../faults.js';
import { EmuError, type QueryServiceModule } from '../service.js';
import { parseQueryParams, renderQueryError, renderQueryResponse } from './query.js';
import type { ServiceEndpoint } from './service-endpoint.js';

const XML_CONTENT_TYPE = 'text/xml';

export function queryEndpoint(module: QueryServiceModule): ServiceEndpoint {
  return {
    signingName: module.signingName,
    readCall: ({ url, headers, body }) => {
      const params = parseQueryParams(url, body, headers['content-type']);
      const action = params.Action ?? '';
      const handler = module.actions[action];
      return {
        action,
        userName: params.UserName,
        run:
          handler === undefined
            ? undefined
            : (ctx) => renderQueryResponse(module, action, handler(params, ctx), ctx.requestId),
      };
    },
    ok: (body, requestId) => ({
      status: 200,
      headers: { 'content-type': XML_CONTENT_TYPE, 'x-amzn-requestid': requestId },
      body,
    }),
    error: (error, requestId) => ({
      status: error.status,
      headers: { 'content-type': XML_CONTENT_TYPE, 'x-amzn-requestid': requestId },
      body: renderQueryError(module.xmlNamespace, error, requestId),
    }),
    // Cut mid-document and left with a dangling, unterminated tag.
    malformed: (xml) => `${xml.slice(0, Math.floor(xml.length / 2))}<</`,
    unknownAction: (action) =>
      new EmuError(
        'InvalidAction',
        `Could not find operation ${action} for version ${module.apiVersion}`,
        400,
      ),
    accessDenied: (message) => new EmuError('AccessDenied', message, 403),
    throttled: throttlingError,
    userNotFound: (userName) =>
      new EmuError('NoSuchEntity', `The user with name ${userName} cannot be found.`, 404),
  };
}
