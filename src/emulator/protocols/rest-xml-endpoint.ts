// The server side of REST-XML (S3), path-style: http://host:port/<bucket>/<key>?<query>. The action follows
// from method, path and query; the answer's status and headers are the action's; errors are <Error> XML.
import { EmuError, type RestAnswer, type RestRequest, type RestXmlServiceModule } from '../service.js';
import type { SignedRequest } from '../sigv4.js';
import { el } from './query.js';
import type { HttpReply, ServiceEndpoint } from './service-endpoint.js';

const XML_CONTENT_TYPE = 'application/xml';

function restRequest({ method, url, headers, body }: SignedRequest): RestRequest {
  const parsed = new URL(url, 'http://emulator.invalid');
  const [, bucket = '', ...keyParts] = parsed.pathname.split('/');
  let key: string;
  try {
    key = decodeURIComponent(keyParts.join('/'));
  } catch {
    throw new EmuError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
  return { method, bucket: decodeURIComponent(bucket), key, query: parsed.searchParams, headers, body };
}

function reply(answer: RestAnswer, requestId: string): HttpReply {
  return {
    status: answer.status ?? 200,
    headers: { 'x-amz-request-id': requestId, ...answer.headers },
    body: answer.body ?? '',
  };
}

export function renderRestXmlError(error: EmuError, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el('Code', error.code)}${el('Message', error.message)}` +
    `${el('RequestId', requestId)}</Error>`
  );
}

export function restXmlEndpoint(module: RestXmlServiceModule): ServiceEndpoint {
  return {
    signingName: module.signingName,
    readCall: (signed) => {
      const request = restRequest(signed);
      const action = module.actionOf(request);
      const handler = module.actions[action];
      return {
        action,
        userName: undefined,
        run: handler === undefined ? undefined : (ctx) => reply(handler(request, ctx), ctx.requestId),
      };
    },
    ok: (body, requestId) => reply({ headers: { 'content-type': XML_CONTENT_TYPE }, body }, requestId),
    error: (error, requestId) =>
      reply(
        {
          status: error.status,
          headers: { 'content-type': XML_CONTENT_TYPE },
          body: renderRestXmlError(error, requestId),
        },
        requestId,
      ),
    malformed: (xml) => `${xml.slice(0, Math.floor(xml.length / 2))}<</`,
    unknownAction: (action) =>
      new EmuError('NotImplemented', `The emulator does not implement ${action || 'this request'}.`, 501),
    accessDenied: (message) => new EmuError('AccessDenied', message, 403),
    throttled: () => new EmuError('SlowDown', 'Please reduce your request rate.', 503, 'Receiver'),
    userNotFound: (userName) =>
      new EmuError('NoSuchKey', `The specified key does not exist: ${userName}`, 404),
  };
}
