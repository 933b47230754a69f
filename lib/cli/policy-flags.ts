// The crawl command's flags for scope, robots.txt, politeness and limits: their zod checks, their
// parseArgs specs, their help text, and the crawl() options they give. Kept out of cli.ts.
import { z } from 'zod';
import type { CrawlerOptions } from '../crawl.js';
import { InputError } from '../errors.js';
import type { BasicAuth } from '../fetchers/auth.js';
import { scopes } from '../seams/scope.js';

const count = (min: number) => z.string().regex(/^\d+$/, `must be a whole number >= ${min}`).transform(Number).refine((n) => n >= min, `must be a whole number >= ${min}`);
const seconds = z.string().regex(/^(\d+(\.\d*)?|\.\d+)$/, 'must be a number of seconds, such as 30 or 0.5').transform(Number).refine((s) => s > 0, 'must be more than 0 seconds');

/** A regex flag: compiled here, so a bad pattern is one line naming the flag, not a stack trace. */
const pattern = () =>
  z.array(z.string()).transform((texts, ctx) =>
    texts.map((text) => {
      try {
        return new RegExp(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message, input: text });
        return z.NEVER;
      }
    }),
  );

/** Merged into the crawl command's zod schema. */
export const policyFlagShape = {
  scope: z.enum(scopes, { error: `must be one of ${scopes.join(', ')}` }).optional(),
  include: pattern().optional(),
  exclude: pattern().optional(),
  'ignore-robots': z.boolean().optional(),
  'per-host': count(1).optional(),
  'delay-ms': count(0).optional(),
  'max-pages': count(0).optional(),
  'max-time': seconds.optional(),
};

/** Merged into the command's parseArgs options. */
export const policyOptionSpecs = {
  scope: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'ignore-robots': { type: 'boolean' },
  'per-host': { type: 'string' },
  'delay-ms': { type: 'string' },
  'max-pages': { type: 'string' },
  'max-time': { type: 'string' },
} as const;

/** Per-host cap over HTTP when --per-host is not given (Scrapy's per-domain default is 8 too). */
export const defaultPerHost = 8;

export const policyUsage = `
Scope, politeness and limits (a fixture crawl takes them too, except --ignore-robots):
  --scope origin|host|domain|any  which links to follow, judged against START_URL: same scheme,
                       host and port (origin, the default over HTTP); same host name (host); same
                       registrable domain by the public suffix list (domain); any http(s) (any)
  --include REGEX      follow only URLs that match (JavaScript regex, unanchored, tested on the
                       whole URL); repeat for "any of these"
  --exclude REGEX      never follow URLs that match; repeatable. Left-out URLs are reported
                       skipped with reason "scope"; the start URL is always crawled
  --ignore-robots      do not fetch or obey robots.txt (obeyed by default over HTTP: disallowed
                       URLs are reported skipped "robots"; its Crawl-delay spaces requests; an
                       unreadable robots.txt (5xx, timeout) disallows its site, a 4xx allows all)
  --per-host K         at most K requests in flight to one host (default: ${defaultPerHost} over HTTP, none for a fixture)
  --delay-ms D         at least D ms between the starts of two requests to one host (default: 0)
  --max-pages N        start at most N fetches, then stop (default: no limit)
  --max-time S         stop after S seconds, aborting fetches in flight (default: no limit)
                       URLs left unfetched by a limit are reported skipped "max-pages"/"max-time"
Progress (done, in flight, queued, rate) is drawn on stderr while it is a terminal.
`;

type PolicyFlags = { [K in keyof typeof policyFlagShape]?: z.output<(typeof policyFlagShape)[K]> };

/** The crawl() options these flags give; `overHttp` turns on the defaults for a real site. */
export function policyOptionsOf(f: PolicyFlags, overHttp: boolean, userAgent?: string, auth?: BasicAuth): CrawlerOptions {
  if (!overHttp && f['ignore-robots']) throw new InputError('--ignore-robots applies to crawling a site (an http(s) START_URL without --fixture)');
  const scoped = overHttp || f.scope !== undefined || f.include !== undefined || f.exclude !== undefined;
  return {
    ...(scoped ? { scope: { scope: f.scope ?? 'origin', include: f.include ?? [], exclude: f.exclude ?? [] } } : {}),
    ...(overHttp && !f['ignore-robots'] ? { robots: { ...(userAgent === undefined ? {} : { userAgent }), ...(auth === undefined ? {} : { auth }) } } : {}),
    perHost: f['per-host'] ?? (overHttp ? defaultPerHost : undefined),
    delayMs: f['delay-ms'],
    maxPages: f['max-pages'],
    maxTimeMs: f['max-time'] === undefined ? undefined : f['max-time'] * 1000,
  };
}
