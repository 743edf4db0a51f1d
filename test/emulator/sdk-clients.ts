// SDK clients pointed at an emulator, as a user would configure them (endpoint, region, credentials).
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../../src/emulator/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const DEFAULT_KEYS: KeyPair = {
  accessKeyId: DEFAULT_ACCESS_KEY_ID,
  secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
};

export function iamClient(
  url: string,
  keys: KeyPair = DEFAULT_KEYS,
  extra: Partial<IAMClientConfig> = {},
): IAMClient {
  return new IAMClient({ endpoint: url, region: 'us-east-1', credentials: keys, maxAttempts: 1, ...extra });
}

export function stsClient(url: string, keys: KeyPair = DEFAULT_KEYS): STSClient {
  return new STSClient({ endpoint: url, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
}

/** The rejection of a promise that must fail (SDK errors fail instanceof Error inside Jest). */
export async function failure(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
