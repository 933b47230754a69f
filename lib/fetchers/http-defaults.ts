// HttpFetcher's defaults, apart from http.ts so that reading them (the CLI's --help) does not load undici.
import type { HttpOptions } from './http.js';
import { userAgent } from '../version.js';

/** Each HttpOptions default, the one place it is written (the CLI's --help shows these). */
export const httpDefaults: Required<Omit<HttpOptions, 'normalize' | 'auth' | 'checkOnly' | 'headers' | 'headersFor'>> = {
  connectTimeoutMs: 5_000,
  responseTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
  retries: 2,
  retryDelayMs: 500,
  maxRetryAfterMs: 60_000,
  maxBytes: 32 * 1024 * 1024,
  connectionsPerOrigin: Infinity,
  maxRedirects: 10,
  userAgent,
  assets: false,
  keepBody: false,
  keepHeaders: false,
};
