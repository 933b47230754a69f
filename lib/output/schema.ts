// The jsonl report's schema: one object per discovered URL, one field per fact. The CLI writes
// these lines (report.ts) and a reader can check them with ReportLine.parse(JSON.parse(line)).
import { z } from 'zod';
import { skipReasons } from '../types.js';

/** Milliseconds from the start of the crawl. */
const ms = z.number().nonnegative();

const reported = {
  /** The URL as discovered (the key of the crawl's fetched map). */
  url: z.string(),
  /** Hops from a start URL along the path that reached it first (a start URL is depth 0). */
  depth: z.number().int().nonnegative(),
  /** A page at depth - 1 linking to it (for a redirect target, the URL that redirected; for a seed from a sitemap, the sitemap); none for a start URL. */
  parent: z.string().optional(),
};

const ran = {
  /** When the request itself started and ended, ms from the start of the crawl (waits excluded). */
  start: ms,
  end: ms,
  /** Ms the fetch waited before its request started (a concurrency or per-host slot, a delay, robots.txt); absent when none. */
  wait: ms.optional(),
};

export const FoundLine = z.strictObject({
  ...reported,
  outcome: z.literal('found'),
  /** Where a redirect pointed, when the page is a redirect. */
  finalUrl: z.string().optional(),
  status: z.number().int().optional(),
  contentType: z.string().optional(),
  /** Body bytes read (after decompression). */
  bytes: z.number().int().nonnegative().optional(),
  /** The body was cut at --max-bytes: `urls` are the links before the cut. */
  truncated: z.literal(true).optional(),
  /** An HTML page's <title>. */
  title: z.string().optional(),
  /** A fixture page's body (the Go fakeFetcher's). */
  body: z.string().optional(),
  /** How many links the page has, duplicates counted. */
  links: z.number().int().nonnegative(),
  /** The page's links, each once, in order of first appearance. */
  urls: z.array(z.string()),
  /** What --extract took from the page: NAME -> every match's text or attribute, in document order (the library's `extract` callback may answer any object). */
  data: z.record(z.string(), z.unknown()).optional(),
  ...ran,
});

export const FailedLine = z.strictObject({
  ...reported,
  outcome: z.literal('failed'),
  status: z.number().int().optional(),
  error: z.string(),
  /** For a "redirect loop": the chain of URLs from this one until one repeats. */
  chain: z.array(z.string()).optional(),
  /** The found pages that link to it and were reported before this line (a page found later lists it in its `urls`). */
  linkedFrom: z.array(z.string()),
  ...ran,
});

export const SkippedLine = z.strictObject({
  ...reported,
  outcome: z.literal('skipped'),
  reason: z.enum(skipReasons),
  /** More than the reason says: `robots.txt unreadable (HTTP 503 Service Unavailable): its site is treated as disallowed`. */
  detail: z.string().optional(),
});

/** One line of `--format jsonl`. */
export const ReportLine = z.discriminatedUnion('outcome', [FoundLine, FailedLine, SkippedLine]);
export type ReportLine = z.infer<typeof ReportLine>;

/**
 * `--format csv`'s columns, in order: the jsonl fields, `linkedFrom` joined with spaces, `urls`
 * left out (`links` counts them). An absent field is an empty cell.
 */
export const csvColumns = [
  'url',
  'outcome',
  'depth',
  'parent',
  'finalUrl',
  'status',
  'contentType',
  'bytes',
  'title',
  'body',
  'links',
  'start',
  'end',
  'wait',
  'error',
  'reason',
  'linkedFrom',
] as const satisfies readonly (keyof z.infer<typeof FoundLine> | keyof z.infer<typeof FailedLine> | keyof z.infer<typeof SkippedLine>)[];
