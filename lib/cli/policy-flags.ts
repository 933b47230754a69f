// The crawl command's flags for scope, robots.txt, politeness and limits (declared in
// flag-table.ts): the crawl() options they give.
import type { z } from 'zod';
import type { CrawlerOptions } from '../crawl.js';
import { InputError } from '../errors.js';
import type { BasicAuth } from '../fetchers/auth.js';
import { defaultPerHost, policyFlags } from './flag-table.js';

type PolicyFlags = { [K in keyof typeof policyFlags]?: z.output<(typeof policyFlags)[K]['schema']> };

/** The crawl() options these flags give; `overHttp` turns on the defaults for a real site. */
export function policyOptionsOf(f: PolicyFlags, overHttp: boolean, userAgent?: string, auth?: BasicAuth): CrawlerOptions {
  if (!overHttp && f['ignore-robots']) throw new InputError('--ignore-robots applies to crawling a site (an http(s) START_URL without --fixture)');
  const scoped = overHttp || f.scope !== undefined || f.include !== undefined || f.exclude !== undefined || f['check-external'] === true;
  return {
    ...(scoped ? { scope: { scope: f.scope ?? 'origin', include: f.include ?? [], exclude: f.exclude ?? [], checkExternal: f['check-external'] ?? false } } : {}),
    ...(overHttp && !f['ignore-robots'] ? { robots: { ...(userAgent === undefined ? {} : { userAgent }), ...(auth === undefined ? {} : { auth }) } } : {}),
    perHost: f['per-host'] ?? (overHttp ? defaultPerHost : undefined),
    delayMs: f['delay-ms'],
    maxPages: f['max-pages'],
    maxTimeMs: f['max-time'] === undefined ? undefined : f['max-time'] * 1000,
  };
}
