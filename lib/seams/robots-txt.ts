// A robots.txt parser and matcher for one user agent, after RFC 9309 and the rules Google's own
// parser adds where the RFC is silent or real files break it (tested in spec/robots-google.spec.ts
// on Google's suite, google/robotstxt robots_test.cc). Parsed once per origin, matched per URL.

/** What one robots.txt says to one agent. */
export interface AgentRules {
  /** Whether `path` (the URL's path and query, percent-encoded as the URL parser leaves them) may be fetched. */
  allowed(path: string): boolean;
  /** The Crawl-delay of the agent's group (else the `*` group's), in seconds, when it gives one. */
  crawlDelay?: number;
}

/** A rule of a group: its pattern, as escaped, and whether it allows. */
interface Rule {
  allow: boolean;
  /** Length of the escaped pattern: the longest match wins (RFC 9309 2.2.2). */
  priority: number;
  pattern: string;
  /** For `Allow: /dir/index.htm...`: the directory itself, `/dir/$`, tried when the pattern does not match. */
  directory?: Rule;
}

/** RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; the rest is ignored. */
export const robotsMaxBytes = 500 * 1024;

/** Past this many bytes a line is cut (as Google's parser cuts it: 8 times a browser's 2,083-byte URL limit, less one). */
export const maxLineBytes = 2083 * 8 - 1;

/**
 * The product token of a User-Agent header, the name robots.txt groups are matched against
 * (RFC 9309 2.2.1): its leading letters, `-` and `_`. `FooBot/1.0 (+https://foo.example/)` gives `FooBot`.
 */
export function productToken(userAgent: string): string {
  return /^[A-Za-z_-]*/.exec(userAgent.trim())![0];
}

/**
 * The rules of a robots.txt body for `agent` (a product token, matched without regard to case):
 * the groups naming it, merged; else the groups of `*`, merged; else no rules. Bytes are read as
 * the RFC says: lines end at CR, LF or CRLF; `#` starts a comment; a UTF-8 byte order mark, whole
 * or cut short, is skipped at the start; octets past ASCII in a pattern are percent-encoded.
 */
export function agentRules(body: Uint8Array | string, agent: string): AgentRules {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const wanted = agent.toLowerCase();
  const specific: Rule[] = [];
  const global: Rule[] = [];
  let delays: { specific?: number; global?: number } = {};
  let everSpecific = false;
  // The group being read: which agents its user-agent lines named, and whether a rule has closed its head.
  let inSpecific = false;
  let inGlobal = false;
  let ruleSeen = false;

  for (const line of lines(bytes)) {
    const directive = keyAndValue(line);
    if (directive === undefined) continue;
    const { key, value } = directive;
    const kind = kindOf(key);
    if (kind === 'user-agent') {
      if (ruleSeen) inSpecific = inGlobal = ruleSeen = false; // a user-agent line after rules starts a new group
      if (value[0] === '*' && (value.length === 1 || /\s/.test(value[1]!))) inGlobal = true;
      else if (wanted !== '' && productToken(value).toLowerCase() === wanted) inSpecific = everSpecific = true;
    } else if (kind === 'allow' || kind === 'disallow') {
      if (!inSpecific && !inGlobal) continue; // a rule outside any group is ignored
      ruleSeen = true;
      (inSpecific ? specific : global).push(rule(kind === 'allow', escapePattern(value)));
    } else if (kind === 'crawl-delay' && (inSpecific || inGlobal)) {
      const seconds = Number(value);
      if (value !== '' && Number.isFinite(seconds) && seconds >= 0)
        delays = inSpecific ? { ...delays, specific: delays.specific ?? seconds } : { ...delays, global: delays.global ?? seconds };
    }
    // Sitemap and unknown lines neither belong to a group nor close one.
  }

  const crawlDelay = everSpecific ? delays.specific : delays.global;
  const decide = (rules: Rule[], path: string): boolean | undefined => {
    let allow = -1;
    let disallow = -1;
    for (const r of rules) {
      const priority = matchPriority(r, path);
      if (r.allow) allow = Math.max(allow, priority);
      else disallow = Math.max(disallow, priority);
    }
    // An empty pattern matches with priority 0, which decides nothing: `Disallow:` disallows nothing.
    if (allow <= 0 && disallow <= 0) return undefined;
    return disallow <= allow; // on a tie the least strict rule, allow, wins
  };
  return {
    allowed: (path) => decide(specific, path) ?? (everSpecific ? true : (decide(global, path) ?? true)),
    ...(crawlDelay === undefined ? {} : { crawlDelay }),
  };
}

/**
 * The URLs of a robots.txt body's `Sitemap:` lines (the key in any case), in order, as written:
 * such a line stands outside the groups and applies to every agent (RFC 9309 2.2.4).
 */
export function sitemapLines(body: Uint8Array | string): string[] {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const urls: string[] = [];
  for (const line of lines(bytes)) {
    const directive = keyAndValue(line);
    if (directive?.key.toLowerCase() === 'sitemap' && directive.value !== '') urls.push(Buffer.from(directive.value, 'latin1').toString('utf8'));
  }
  return urls;
}

/** The lines of a body as latin1 strings (one char per byte), at most maxLineBytes each, BOM skipped. */
function* lines(bytes: Buffer): Generator<string> {
  let start = 0;
  const bom = [0xef, 0xbb, 0xbf];
  while (start < bom.length && bytes[start] === bom[start]) start += 1;
  for (let i = start; i <= bytes.length; i++) {
    const byte = bytes[i];
    if (i < bytes.length && byte !== 0x0a && byte !== 0x0d) continue;
    yield bytes.toString('latin1', start, Math.min(i, start + maxLineBytes));
    if (byte === 0x0d && bytes[i + 1] === 0x0a) i += 1; // CRLF is one line end
    start = i + 1;
  }
}

/** `key: value` with the comment and surrounding whitespace gone; `key value` is read so too (a forgotten colon). */
function keyAndValue(line: string): { key: string; value: string } | undefined {
  const text = line.replace(/#.*$/s, '').trim();
  if (text === '') return undefined;
  const colon = text.indexOf(':');
  if (colon !== -1) {
    const key = text.slice(0, colon).trim();
    return key === '' ? undefined : { key, value: text.slice(colon + 1).trim() };
  }
  const words = /^(\S+)\s+(\S+)$/.exec(text); // without a colon, exactly two words
  return words === null ? undefined : { key: words[1]!, value: words[2]! };
}

type Kind = 'user-agent' | 'allow' | 'disallow' | 'crawl-delay' | 'other';

/** A line's key, by its start, in any case, with the misspellings real files are known to carry. */
function kindOf(key: string): Kind {
  const k = key.toLowerCase();
  const starts = (...names: string[]) => names.some((name) => k.startsWith(name));
  if (starts('user-agent', 'useragent', 'user agent')) return 'user-agent';
  if (starts('allow')) return 'allow';
  if (starts('disallow', 'dissallow', 'dissalow', 'disalow', 'diasllow', 'disallaw')) return 'disallow';
  if (starts('crawl-delay')) return 'crawl-delay';
  return 'other';
}

/** A pattern with its octets past ASCII percent-encoded, and its %xx escapes in upper case, as URLs carry them. */
function escapePattern(latin1: string): string {
  return latin1.replace(/%[0-9a-fA-F]{2}|[\x80-\xff]/g, (m) =>
    m.length === 3 ? m.toUpperCase() : `%${m.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function rule(allow: boolean, pattern: string): Rule {
  const r: Rule = { allow, priority: pattern.length, pattern };
  const slash = pattern.lastIndexOf('/');
  if (allow && slash !== -1 && pattern.startsWith('/index.htm', slash)) r.directory = rule(true, `${pattern.slice(0, slash + 1)}$`);
  return r;
}

/** The rule's priority when it matches `path`, else -1. */
function matchPriority(r: Rule, path: string): number {
  if (matches(path, r.pattern)) return r.priority;
  return r.directory === undefined ? -1 : matchPriority(r.directory, path);
}

/**
 * Whether `pattern` matches `path` from its start: `*` is any run of characters, `$` at the very
 * end is the end of the path, anything else itself. Kept as the set of path prefixes the pattern
 * so far can match, so a hostile pattern costs O(pattern x path), never a regex's backtracking.
 */
export function matches(path: string, pattern: string): boolean {
  if (!pattern.includes('*') && !pattern.endsWith('$')) return path.startsWith(pattern);
  let ends = [0]; // sorted ends of the prefixes of path matched so far
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '$' && i === pattern.length - 1) return ends[ends.length - 1] === path.length;
    if (c === '*') ends = Array.from({ length: path.length - ends[0]! + 1 }, (_, k) => ends[0]! + k);
    else {
      ends = ends.filter((end) => path[end] === c).map((end) => end + 1);
      if (ends.length === 0) return false;
    }
  }
  return true;
}
