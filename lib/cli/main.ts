#!/usr/bin/env node
// The chancrawl command: crawl a fixture graph (or a site) with one design, generate fixtures,
// print the reference order. Bad input ends with one line on stderr and exit code 2.
import { accessSync, constants, createWriteStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { crawl, type CrawlerOptions } from '../crawl.js';
import { CrawlLostError, InputError, OutputError } from '../errors.js';
import { FixtureFetcher, defaultFixturePath, loadFixture, startOf, type Fixture, type Latency } from '../fixture/fixture.js';
import { generate } from '../fixture/gen.js';
import { crawlFlags, genFlags, httpFlags, policyFlags, referenceFlags, serveFlags, sharedFlags } from './flag-table.js';
import { helpOf, labelOf, shapeOf, specsOf } from './flags.js';
import { crawlsOverHttp, httpOptionsOf, httpStart, rejectHttpFlags, withoutCredentials } from './http-flags.js';
import { Summary } from '../output/summary.js';
import { referenceCrawl } from '../fixture/reference.js';
import { LineWriter, WatchedOutput, csvHeader, csvLine, goLine, jsonLine, type Format } from '../output/report.js';
import { fixturePolicyOf, policyOptionsOf } from './policy-flags.js';
import { Progress, sameTerminal } from '../output/progress.js';
import { Resume } from '../seams/resume.js';
import { robotsSitemaps } from '../seams/seeds.js';
import { normalizeUrl } from '../fetchers/normalize.js';
import { siteFetcher, siteOptions, siteSeeds } from '../site.js';
import type { Fetcher, Result } from '../types.js';
import { version } from '../version.js';
import { isMainModule } from '../main-module.js';

export const exitCodes = { ok: 0, bug: 1, badInput: 2, output: 3, crawlLost: 4, broken: 5, sigint: 130, sigterm: 143 } as const;

/** stdout, watched for a write error from the start: each command stops at the first one. */
const stdout = new WatchedOutput('stdout', process.stdout);

const usage = `chancrawl ${version}: the Go crawler designs in TypeScript

Usage:
  chancrawl [options] [START_URL...]   crawl a fixture graph, printing one line per fetch
  chancrawl gen --pages N [options]    write a generated fixture graph as JSON to stdout
  chancrawl reference [options]        print the depth-first order the Serial design must match
  chancrawl serve [FIXTURE] [options]  serve a fixture graph as a web site on 127.0.0.1
  chancrawl --redis URL --crawl NAME [options] [START_URL]   start or join a crawl shared by
                                       many processes through Redis
  chancrawl report|status --redis URL --crawl NAME   a shared crawl's whole jsonl report, or
                                       its counts (reported, owed, queued, in flight, per process)

Crawl options:
${helpOf(crawlFlags)}  START_URL...             where to start: without --fixture, a site (see below); with
                           --fixture, a page or a link of the fixture (default: its "start",
                           else its first page). Several are each crawled from depth 0, each
                           reported once; each one's site is in --scope

gen options:
${helpOf(genFlags)}
reference options: ${Object.entries(referenceFlags)
  .map(([name, flag]) => labelOf(name, flag))
  .join(', ')}, START_URL, as for a crawl.

serve options: FIXTURE (default: the golang.org graph), and
${helpOf(serveFlags)}Prints the start page's URL, then serves each page as HTML (body as <title>, links rewritten to
the server; missing pages answer 404) until SIGINT or SIGTERM.

Crawling a site: a START_URL (or --sitemap) and no --fixture crawls over HTTP, each page's
links taken from its <a href> and <area href>; a redirect is a page linking to its target.
START_URL is an http(s) URL, or a bare host (example.com, 127.0.0.1:8080/x) taken as http://
and said so on stderr; another scheme (ftp://, file:) is bad input, exit 2.
${helpOf(httpFlags)}
Scope, politeness and limits (a fixture crawl takes them too, except --ignore-robots):
${helpOf(policyFlags)}Progress (done, in flight, queued, rate) is drawn on stderr while it is a terminal.

A crawl shared by many processes through Redis (see "One crawl, many processes" in the README):
${helpOf(sharedFlags)}
Exit codes: 0 done (missing pages are results, not errors), also when the reader of stdout
left early (\`| head\`: the crawl stops at its next line); 1 a bug in chancrawl; 2 bad input (a flag,
a fixture file, a START_URL); 3 stdout cannot be written (a full disk, for one): the crawl stops
at once; 4 a shared crawl is gone from its Redis; 5 with --fail-on-broken, some fetched URL failed;
130 stopped by SIGINT; 143 stopped by SIGTERM.
`;

// Each command's flags, checked by zod; the tables in flag-table.ts declare them.
const CrawlFlags = z.strictObject({ ...shapeOf(crawlFlags), ...shapeOf(httpFlags), ...shapeOf(policyFlags), ...shapeOf(sharedFlags) });
const SharedFlags = z.strictObject({ redis: sharedFlags.redis.schema.unwrap(), crawl: sharedFlags.crawl.schema.unwrap() });
const GenFlags = z.strictObject(shapeOf(genFlags));
const ReferenceFlags = z.strictObject(shapeOf(referenceFlags));
const ServeFlags = z.strictObject(shapeOf(serveFlags));

const optionSpecs = {
  ...specsOf(crawlFlags, httpFlags, policyFlags, sharedFlags, genFlags, serveFlags, referenceFlags),
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** Parses argv with node's parseArgs, then checks the flags that `command` takes with `schema`. */
function flags<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') throw new InputError(`--${issue.keys[0]} is not an option here (see --help)`);
  const name = String(issue.path[0]);
  const at = issue.path[1]; // a repeated flag's check of one of its values: that value
  const given = typeof at === 'number' && Array.isArray(values[name]) ? (values[name] as unknown[])[at] : values[name];
  throw new InputError(`--${name}: ${issue.message}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`); // describeIssue would spell --["max-time"]
}

function parseLatency(text: string, seed: number): Latency {
  const [min, max] = text.split('-').map(Number) as [number, number?];
  if (max === undefined) return min;
  if (max < min) throw new InputError(`--latency-ms: MIN-MAX needs MIN <= MAX (got "${text}")`);
  return { min, max, seed };
}

/** Crawls; true when a fetch failed and --fail-on-broken asks to say so in the exit code. */
async function runCrawl(values: Record<string, unknown>, positionals: string[], signal: AbortSignal): Promise<boolean> {
  const f = flags(CrawlFlags, values);
  for (const [flag, path] of [
    ['--output', f.output],
    ['--timeline', f.timeline],
    ['--graph', f.graph],
  ] as const)
    if (path !== undefined) writableDirectory(flag, path);
  // The picture libraries (ts-graphviz, d3-scale) load only when a picture is asked for.
  const graph = f.graph === undefined ? undefined : await import('../output/graph.js');
  const timeline = f.timeline === undefined ? undefined : await import('../output/timeline.js');
  if (f.graph !== undefined && /\.svg$/i.test(f.graph) && !graph!.hasDot())
    throw new InputError(`--graph ${f.graph}: an .svg needs Graphviz's dot, which is not installed (apt-get install graphviz), or name a .dot file`);
  const resume = f.resume === undefined ? undefined : await readReports(f.resume);
  const several = positionals.length > 1 || f.sitemap !== undefined;
  const alone = ['resume', 'redis', 'crawl'].find((name) => values[name] !== undefined);
  if (several && alone !== undefined) throw new InputError(`--${alone} takes one START_URL, not several or --sitemap`);
  const given = positionals[0] ?? resume?.start;
  const overHttp = crawlsOverHttp(given, values.fixture !== undefined) || (f.sitemap !== undefined && values.fixture === undefined);
  if (!overHttp) rejectHttpFlags(values);
  const fixture = overHttp ? undefined : loadFixture(f.fixture);
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const { start, auth } =
    fixture === undefined
      ? given === undefined
        ? { start: undefined, auth: undefined }
        : httpStart(given, f, process.env, warn)
      : { start: resume === undefined ? fixtureStart(fixture, f.fixture, given) : (given ?? startOf(fixture)), auth: undefined };
  if (resume?.start !== undefined && resume.start !== start)
    throw new InputError(`--resume ${f.resume![0]}: that crawl started at ${resume.start}, not ${start}`);
  for (const u of f.sitemap ?? [])
    if (u !== robotsSitemaps && normalizeUrl(u.trim()) === undefined)
      throw new InputError(`--sitemap: not an http(s) URL, nor ${robotsSitemaps} (got ${JSON.stringify(withoutCredentials(u))})`);
  if (f.sitemap?.includes(robotsSitemaps) === true && given === undefined)
    throw new InputError(`--sitemap ${robotsSitemaps} reads the robots.txt of each START_URL's origin: give a START_URL`);
  // More START_URLs: the credentials are the first one's (for its origin only), each in normal form.
  const starts = [
    ...(start === undefined ? [] : [start]),
    ...positionals.slice(1).map((u) => (fixture === undefined ? httpStart(u, f, {}, warn).start : fixtureStart(fixture, f.fixture, u))),
  ];
  if (values['channel-buffer'] !== undefined && f.variant !== 'channel')
    throw new InputError(`--channel-buffer sizes the channel of --variant channel, not ${f.variant}'s`);
  if (f['extract-from'] !== undefined && f.extract === undefined) throw new InputError('--extract-from limits --extract, which is not given');
  // The selectors are checked before the crawl, so a bad one is one line and exit 2; this loads linkedom.
  const extract = f.extract === undefined ? undefined : (await import('../seams/extract.js')).selectorsExtractor(f.extract);
  // A site crawl takes crawlSite's defaults; undici and htmlparser2 load only for it (~150 ms and ~30 MB a fixture crawl does without).
  const site = overHttp ? siteOptions(starts[0] ?? '', { ...httpOptionsOf(f, auth), ...policyOptionsOf(f), concurrency: f.concurrency }) : undefined;
  const policy = site?.crawl ?? { ...fixturePolicyOf(f), concurrency: f.concurrency };
  // The sitemaps are read before the crawl; one that cannot be read is a seed that failed, reported as a broken link is.
  const seeds = site === undefined ? starts : await siteSeeds(starts, { sitemaps: f.sitemap, normalize: site.http.normalize }, site.http, signal);
  const http = site && (await siteFetcher(seeds, site.http, site.crawl));
  const fetcher = http ?? new FixtureFetcher(fixture!, parseLatency(f['latency-ms'], f.seed));
  try {
    if (f.redis !== undefined || f.crawl !== undefined || f['lease-ms'] !== undefined)
      return (await runShared(f, starts[0]!, fetcher, fixture === undefined ? undefined : resolve(f.fixture), policy, values, signal), false);
    const summary = new Summary();
    const kept: Result[] = []; // for the pictures, drawn once the crawl is over
    const format: Format = f.format ?? (f.output === undefined ? (f.extract === undefined ? 'go' : 'jsonl') : /\.csv$/i.test(f.output) ? 'csv' : 'jsonl');
    const sink = f.output === undefined ? stdout : new WatchedOutput(`--output ${f.output}`, createWriteStream(f.output));
    const progress = new Progress(process.stderr, f.quiet ? { enabled: false } : {});
    // Report lines to the terminal the progress line is on make way for it: erased, written, drawn again.
    const beside = sink === stdout && progress.enabled && sameTerminal(1, 2);
    const out = new LineWriter(beside ? (chunk) => progress.interleave(() => sink.stream.write(chunk)) : (chunk) => sink.stream.write(chunk));
    const t0 = performance.now();
    const print = format === 'go' ? (r: Result) => goLine(r) : format === 'csv' ? (r: Result) => csvLine(r, t0) : (r: Result) => jsonLine(r, t0);
    if (format === 'csv') out.line(csvHeader);
    try {
      const stopped = AbortSignal.any([signal, sink.signal]);
      for await (const r of crawl(seeds, fetcher, {
        variant: f.variant,
        maxDepth: f.depth,
        channelBuffer: f['channel-buffer'],
        signal: stopped,
        ...policy,
        resume,
        linkedFrom: format !== 'go',
        extract,
        watch: progress.enabled ? progress.watch : undefined,
      })) {
        if (sink.signal.aborted) break; // the rest would be written to nobody
        const line = print(r);
        if (line !== undefined) out.line(line);
        summary.add(r);
        if (f.timeline !== undefined || f.graph !== undefined) kept.push(r);
      }
    } finally {
      progress.stop();
      if (!sink.signal.aborted) out.flush();
      if (sink !== stdout) await new Promise<void>((resolve) => sink.stream.end(resolve));
    }
    if (sink !== stdout) sink.check(); // a write error on the --output file: exit 3, as for stdout
    if (stdout.signal.aborted) return false; // main reports it; no summary or picture of a crawl cut short
    if (overHttp && !f.quiet) process.stderr.write(`${summary.line(performance.now() - t0)}\n`);
    if (f.timeline !== undefined)
      await writePicture('--timeline', f.timeline, (path) =>
        writeFile(path, timeline!.timelineSvg(timeline!.lanes(kept), { t0, title: `${f.variant}: ${startsTitle(starts, f.sitemap)}` })),
      );
    if (f.graph !== undefined)
      await writePicture('--graph', f.graph, (path) =>
        graph!.writeGraph(graph!.graphDot(kept, starts, { maxNodes: f['graph-max-nodes'], outside: f['graph-outside'] }), path),
      );
    return f['fail-on-broken'] === true && summary.failed > 0;
  } finally {
    await http?.close(); // its kept-alive sockets would hold the process open
  }
}

/** What a timeline's title says the crawl started from: the first START_URL, and how many more seeds. */
function startsTitle(starts: readonly string[], sitemaps: readonly string[] = []): string {
  const more = [
    starts.length > 1 ? `${starts.length - 1} more` : '',
    sitemaps.length > 0 ? `${sitemaps.length} sitemap${sitemaps.length === 1 ? '' : 's'}` : '',
  ].filter((x) => x !== '');
  return [starts[0] ?? '', ...more].filter((x) => x !== '').join(' + ');
}

/** One process of a crawl shared through Redis: prints the lines it reported. */
async function runShared(
  f: z.output<typeof CrawlFlags>,
  start: string,
  fetcher: Fetcher,
  fixture: string | undefined,
  policy: CrawlerOptions,
  values: Record<string, unknown>,
  signal: AbortSignal,
): Promise<void> {
  if (f.redis === undefined || f.crawl === undefined) throw new InputError(`a shared crawl needs both --redis URL and --crawl NAME`);
  const alone = ['variant', 'channel-buffer', 'resume', 'max-time', 'timeline', 'graph', 'extract'].find((name) => values[name] !== undefined);
  if (alone !== undefined) throw new InputError(`--${alone} applies to a crawl in one process, not with --redis`);
  const identity = {
    start,
    depth: f.depth,
    'max-pages': f['max-pages'],
    fixture,
    scope: policy.scope?.scope,
    include: policy.scope?.include?.map(String),
    exclude: policy.scope?.exclude?.map(String),
  };
  const out = new LineWriter((chunk) => process.stdout.write(chunk));
  const print = f.format === 'go' ? (line: string) => goOf(JSON.parse(line) as { url: string; outcome: string }) : (line: string) => line;
  const { crawlShared } = await import('../shared.js');
  try {
    for await (const line of crawlShared(start, fetcher, {
      redis: f.redis,
      name: f.crawl,
      identity,
      maxDepth: f.depth,
      leaseMs: f['lease-ms'],
      ...policy,
      signal,
      line: jsonLine,
    })) {
      const text = print(line);
      if (text !== undefined) out.line(text);
    }
  } finally {
    out.flush();
  }
}

/** The Go line for a report line: found and failed ones print, skipped ones do not. */
function goOf(l: { url: string; outcome: string }): string | undefined {
  if (l.outcome === 'skipped') return undefined;
  return goLine(
    l.outcome === 'found'
      ? { kind: 'found', url: l.url, depth: 0, page: { url: l.url, urls: [] }, start: 0, end: 0 }
      : { kind: 'failed', url: l.url, depth: 0, error: '', start: 0, end: 0 },
  );
}

/** `chancrawl report` and `chancrawl status`: read a shared crawl. */
async function runSharedRead(command: 'report' | 'status', values: Record<string, unknown>, positionals: string[]): Promise<void> {
  if (positionals.length > 0) throw new InputError(`${command} takes no arguments (got ${positionals.join(' ')})`);
  const f = flags(SharedFlags, values);
  const { readShared } = await import('../shared.js');
  const crawl = await readShared(f.redis, f.crawl);
  try {
    if (command === 'status') return void process.stdout.write(`${JSON.stringify(await crawl.status())}\n`);
    const out = new LineWriter((chunk) => process.stdout.write(chunk));
    for await (const line of crawl.report()) out.line(line);
    out.flush();
  } finally {
    crawl.close();
  }
}

/** A fixture crawl's start: START_URL when it is a page or a link of the fixture (else bad input), or the fixture's own. A resumed crawl checks its start against the report instead. */
function fixtureStart(fixture: Fixture, path: string, given: string | undefined): string {
  if (given === undefined) return startOf(fixture);
  if (Object.hasOwn(fixture.pages, given) || Object.values(fixture.pages).some((p) => p.urls.includes(given))) return given;
  throw new InputError(`START_URL: ${JSON.stringify(withoutCredentials(given))} is not a page or a link of ${path}`);
}

/** The reports a resumed crawl continues, read in the order given. */
async function readReports(paths: string[]): Promise<Resume> {
  const resume = new Resume();
  for (const path of paths) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`--resume ${path}: cannot read: ${error.code ?? error.message}`);
    });
    resume.add(text, path);
  }
  return resume;
}

/** Creates an output file's folder, and fails before the crawl, not after it, when it cannot be written. */
function writableDirectory(flag: string, path: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    accessSync(dirname(resolve(path)), constants.W_OK);
  } catch (error) {
    throw new InputError(`${flag} ${path}: cannot write there: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Writes one picture; a path that cannot be written is bad input, named with its flag (a dot that fails is a bug). */
async function writePicture(flag: string, path: string, write: (path: string) => Promise<void>): Promise<void> {
  try {
    await write(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new InputError(`${flag} ${path}: cannot write: ${code}`);
  }
}

async function runGen(values: Record<string, unknown>, positionals: string[]): Promise<void> {
  if (positionals.length > 0) throw new InputError(`gen takes no arguments (got ${positionals.join(' ')})`);
  const f = flags(GenFlags, values);
  const out = f.out === undefined ? process.stdout : createWriteStream(f.out);
  await generate({ pages: f.pages, degree: f.degree, seed: f.seed, missing: f.missing }, out);
  if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function runServe(values: Record<string, unknown>, positionals: string[], signal: AbortSignal): Promise<void> {
  const f = flags(ServeFlags, values);
  if (positionals.length > 1) throw new InputError(`serve takes one FIXTURE at most (got ${positionals.length}: ${positionals.join(' ')})`);
  const fixture = loadFixture(positionals[0] ?? defaultFixturePath);
  const robots =
    f.robots === undefined
      ? undefined
      : await readFile(f.robots, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new InputError(`--robots ${f.robots}: cannot read it: ${error.code ?? error.message}`);
        });
  const log = f.log === undefined ? undefined : openLog(f.log);
  const options = { port: f.port, latency: parseLatency(f['latency-ms'], f.seed), pageKb: f['page-kb'], robots, log };
  const { serveUntil } = await import('../fixture/serve.js');
  await serveUntil(fixture, options, signal, (site) => {
    process.stdout.write(`${site.start}\n`);
    process.stderr.write(`chancrawl: serving ${Object.keys(fixture.pages).length} pages; ${startOf(fixture)} is ${site.start}; stop with Ctrl-C\n`);
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === undefined || error.syscall !== 'listen') throw error;
    throw new InputError(`--port ${f.port}: cannot listen on 127.0.0.1: ${error.code}`);
  });
}

/** `serve --log FILE`: one jsonl line per answer, appended as it ends. */
function openLog(path: string): (entry: object) => void {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    throw new InputError(`--log ${path}: cannot open it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return (entry) => writeSync(fd, `${JSON.stringify(entry)}\n`);
}

function runReference(values: Record<string, unknown>, positionals: string[]): void {
  const f = flags(ReferenceFlags, values);
  if (positionals.length > 1) throw new InputError(`one START_URL at most (got ${positionals.length}: ${positionals.join(' ')})`);
  const fixture = loadFixture(f.fixture);
  const out = new LineWriter((chunk) => process.stdout.write(chunk));
  for (const { url, found } of referenceCrawl(fixture, fixtureStart(fixture, f.fixture, positionals[0]), f.depth))
    out.line(found ? `found:   ${url}` : `missing: ${url}`);
  out.flush();
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], signal: AbortSignal): Promise<number> {
  const [command, rest] =
    argv[0] === 'gen' || argv[0] === 'reference' || argv[0] === 'serve' || argv[0] === 'report' || argv[0] === 'status'
      ? [argv[0], argv.slice(1)]
      : ['crawl', argv];
  let parsed: ReturnType<typeof parseArgs<{ options: typeof optionSpecs; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: optionSpecs, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) throw new InputError(`${ambiguous[1]}: a value starting with "-" must be written ${ambiguous[1]}=VALUE`);
    throw new InputError(message.split('\n')[0]!.replace(/\. To specify .*$/, ''));
  }
  const { help, version: showVersion, ...values } = parsed.values;
  if (help) return (process.stdout.write(usage), written());
  if (showVersion) return (process.stdout.write(`${version}\n`), written());
  let broken = false;
  try {
    if (command === 'gen') await runGen(values, parsed.positionals);
    else if (command === 'reference') runReference(values, parsed.positionals);
    else if (command === 'serve') await runServe(values, parsed.positionals, signal);
    else if (command === 'report' || command === 'status') await runSharedRead(command, values, parsed.positionals);
    else broken = await runCrawl(values, parsed.positionals, signal);
  } catch (error) {
    await written(); // a write error that ended the command (gen's writes reject with it) is the one to report
    throw error;
  }
  const code = await written();
  return broken ? exitCodes.broken : code;
}

/** exitCodes.ok once all that was written to stdout has been; throws its write error as an OutputError. */
async function written(): Promise<number> {
  await stdout.settled();
  stdout.check();
  return exitCodes.ok;
}

if (isMainModule(import.meta)) {
  const stop = new AbortController();
  let code: number = exitCodes.ok;
  const onSignal = (name: 'SIGINT' | 'SIGTERM', exitCode: number) => () => {
    code = exitCode;
    stop.abort(new Error(`stopped by ${name}`));
    // A second signal takes the default action and ends the process at once (status 128 + n, 130
    // for SIGINT). A JS handler could not promise that: a stop that reports many skipped URLs runs
    // on microtasks, and a handler waits until they are done (measured: the summary still printed).
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
  };
  process.on('SIGINT', onSignal('SIGINT', exitCodes.sigint));
  process.on('SIGTERM', onSignal('SIGTERM', exitCodes.sigterm));
  main(process.argv.slice(2), stop.signal).then(
    (exitCode) => {
      process.exitCode = stop.signal.aborted ? code : exitCode;
    },
    (error: unknown) => {
      if (error instanceof OutputError && error.code === 'EPIPE') {
        process.exitCode = code; // the reader left (`| head`): nothing more to say
      } else if (error instanceof OutputError) {
        process.stderr.write(`chancrawl: ${error.message}\n`);
        process.exitCode = exitCodes.output;
      } else if (error instanceof InputError) {
        process.stderr.write(`chancrawl: ${error.message}\n`);
        process.exitCode = exitCodes.badInput;
      } else if (error instanceof CrawlLostError) {
        process.stderr.write(`chancrawl: ${error.message}\n`);
        process.exitCode = exitCodes.crawlLost;
      } else {
        process.stderr.write(
          `chancrawl: internal error (a bug, please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exitCode = exitCodes.bug;
      }
    },
  );
}
