// GetCredentialReport with the report's Content taken out of the raw response before the SDK parses it.
//
// Why: the SDK's XML parser (@aws-sdk/xml-builder, 3.972.x) builds each text node one character at a time.
// A 5,000-user report is 2 MB of base64 in one text node, which becomes a rope of two million string nodes
// (about 60 MB of heap) before it is flattened and decoded: per account, in the middle of the run. Cut out
// of the raw bytes and decoded with one Buffer call, it costs about its own size. The rest of the response
// (GeneratedTime, ReportFormat, errors) still goes through the SDK's parser, and a response this code does
// not recognise is left to the SDK untouched.
import {
  GetCredentialReportCommand,
  type GetCredentialReportCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';

const OPEN = Buffer.from('<Content>');
const CLOSE = Buffer.from('</Content>');

interface RawResponse {
  statusCode?: number;
  body?: unknown;
}

function isRawResponse(value: unknown): value is RawResponse {
  return typeof value === 'object' && value !== null && 'statusCode' in value && 'body' in value;
}

async function readAll(body: unknown): Promise<Buffer | undefined> {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body !== 'object' || body === null || !(Symbol.asyncIterator in body)) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Splits a successful GetCredentialReport body into the decoded report and the XML without it. undefined
 * when the body has no single plain <Content> element (the SDK then parses it as usual).
 */
export function splitReportContent(xml: Buffer): { content: Buffer; rest: Buffer } | undefined {
  const open = xml.indexOf(OPEN);
  if (open < 0 || xml.indexOf(OPEN, open + OPEN.length) >= 0) return undefined;
  const start = open + OPEN.length;
  const end = xml.indexOf(CLOSE, start);
  if (end < 0) return undefined;
  const base64 = xml.toString('latin1', start, end);
  // Base64 has no markup characters; anything else (an entity, a CDATA section) is the SDK's to read.
  if (!/^[A-Za-z0-9+/=\s]*$/.test(base64)) return undefined;
  return {
    content: Buffer.from(base64, 'base64'),
    rest: Buffer.concat([xml.subarray(0, start), xml.subarray(end)]),
  };
}

/** One GetCredentialReport call, and how to read its Content once it was sent. */
export interface CredentialReportCall {
  /**
   * Sends the call with send()'s options, never on the client's cached handler (see call-signal.ts): this
   * command's own middleware holds this call's content, and a handler resolved for an earlier instance
   * would carry that instance's.
   */
  send(iam: IAMClient, abortSignal?: AbortSignal): Promise<GetCredentialReportCommandOutput>;
  content(output: GetCredentialReportCommandOutput): Uint8Array | undefined;
}

export function credentialReportCall(): CredentialReportCall {
  const command = new GetCredentialReportCommand({});
  // Every attempt (the retry middleware sits outside this step) overwrites it: the last answer wins.
  let extracted: Buffer | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      extracted = undefined;
      const result = await next(args);
      const response: unknown = result.response;
      if (!isRawResponse(response) || response.statusCode !== 200) return result;
      const body = await readAll(response.body);
      if (body === undefined) return result;
      const split = splitReportContent(body);
      if (split === undefined) {
        response.body = body;
        return result;
      }
      extracted = split.content;
      response.body = split.rest;
      return result;
    },
    // Inside the deserializer (same step, lower priority): sees the raw HTTP response before it is parsed.
    { step: 'deserialize', priority: 'low', name: 'iamInventoryCredentialReportContent' },
  );
  return {
    send: (iam, abortSignal) => iam.send(command, { abortSignal }),
    content: (output) => (extracted !== undefined ? extracted : output.Content),
  };
}
