// The crawl command's flags for scope, robots.txt, politeness and limits (declared in
// flag-table.ts): the options they give, each default left to the option itself.
import type { z } from 'zod';
import type { CrawlerOptions } from '../crawl.js';
import { InputError } from '../errors.js';
import { siteScope, type SiteOptions } from '../site.js';
import { policyFlags } from './flag-table.js';

type PolicyFlags = { [K in keyof typeof policyFlags]?: z.output<(typeof policyFlags)[K]['schema']> };
type Policy = Pick<SiteOptions, 'scope' | 'include' | 'exclude' | 'checkExternal' | 'robots' | 'perHost' | 'delayMs' | 'maxPages' | 'maxTimeMs'>;

/** A site crawl's options from these flags, by their names in SiteOptions (siteOptions() fills in the rest). */
export function policyOptionsOf(f: PolicyFlags): Policy {
  return { ...scopeOf(f), robots: f['ignore-robots'] ? false : undefined, ...limitsOf(f) };
}

/** A fixture crawl's crawl() options from these flags: scoped only when a scope flag is given; robots.txt is a site's. */
export function fixturePolicyOf(f: PolicyFlags): CrawlerOptions {
  if (f['ignore-robots']) throw new InputError('--ignore-robots applies to crawling a site (an http(s) START_URL without --fixture)');
  const scope = scopeOf(f);
  const scoped = Object.values(scope).some((value) => value !== undefined && value !== false);
  return { ...limitsOf(f), ...(scoped ? { scope: siteScope(scope) } : {}) };
}

function scopeOf(f: PolicyFlags): Pick<Policy, 'scope' | 'include' | 'exclude' | 'checkExternal'> {
  return { scope: f.scope, include: f.include, exclude: f.exclude, checkExternal: f['check-external'] };
}

function limitsOf(f: PolicyFlags): Pick<Policy, 'perHost' | 'delayMs' | 'maxPages' | 'maxTimeMs'> {
  return {
    perHost: f['per-host'],
    delayMs: f['delay-ms'],
    maxPages: f['max-pages'],
    maxTimeMs: f['max-time'] === undefined ? undefined : f['max-time'] * 1000,
  };
}
