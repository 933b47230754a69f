// Which line of each TypeScript design stands beside which line of its Go twin, and whether the two
// files still agree. The pairing lives here, not in the design files, so that they stay Go-shaped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Variant } from '../lib/crawl.js';
import { packageRoot } from '../lib/package-root.js';

export interface Twin {
  variant: Variant;
  /** What the Go original calls it. */
  title: string;
  /** The TypeScript design and its Go twin, relative to the repository root. */
  ts: string;
  go: string;
  /** Names of the Go original that both files must keep (whole words, case-sensitive). */
  names: string[];
  /**
   * Twin lines, in file order: [TS, Go]. Each is the start of a line with its indentation trimmed,
   * looked for after the line of the pair before, so repeated lines such as `return` pair up too.
   */
  pairs: [ts: string, go: string][];
  /**
   * Where the TypeScript file departs from the lecture's crawler.go, each on one line: `at` is the
   * start of the TS line it is on (indentation trimmed, the first such line), `what` and `why`.
   */
  departures: Departure[];
}

export interface Departure {
  at: string;
  what: string;
  why: string;
}

/** Shared by the designs whose fetched map keeps the hops left (serial, mutex, channel). */
const hopsLeftMap = {
  what: 'depth bookkeeping: the fetched map holds the hops left from a URL, not true',
  why: 'under maxDepth a URL reached later along a shorter path must be followed further',
};

export const twins: Record<Variant, Twin> = {
  serial: {
    variant: 'serial',
    title: 'Serial',
    ts: 'lib/designs/serial.ts',
    go: 'go/crawler/serial.go',
    names: ['Serial', 'url', 'fetcher', 'Fetcher', 'fetched', 'urls', 'u'],
    pairs: [
      ['// Serial crawler', '// Serial crawler'],
      ['export function Serial(', 'func Serial('],
      ['const left = depthLeft(options, depth);', 'left := depthLeft(opts, depth)'],
      ['const seen = fetched.get(url);', 'seen, ok := fetched[url]'],
      ['if (!worthVisit(seen, left)) {', 'if !worthVisit(seen, ok, left) {'],
      ['fetched.set(url, left);', 'fetched[url] = left'],
      ['const r = await fetchResult(fetcher, url, depth, signal);', 'urls, err := fetcher.Fetch(url)'],
      ["if (r.kind !== 'found' || left <= 0) {", 'if err != nil || left <= 0 {'],
      ['for (const u of r.page.urls) {', 'for _, u := range urls {'],
      ['await serial(u, depth + 1);', 'Serial(u, fetcher, fetched, opts, depth+1)'],
    ],
    departures: [
      {
        at: 'export function Serial(',
        what: 'an async generator of results, with an options object (maxDepth, signal)',
        why: "a caller reads each page's outcome as it comes and can stop the crawl; the lecture's fetcher prints instead",
      },
      {
        at: 'return funnel<Result>(options.signal, 1,',
        what: 'the results funnel: the recursion sends each result on a one-slot channel that the generator reads',
        why: 'yield* through thousands of nested generators overflows the stack',
      },
      { at: 'const left = depthLeft(options, depth);', ...hopsLeftMap },
      {
        at: 'const r = await fetchResult(fetcher, url, depth, signal);',
        what: "the signal: each fetch takes the crawl's AbortSignal, and a failure is a result, not a bare err",
        why: 'a stop aborts the fetches in flight, and the report needs every outcome',
      },
      {
        at: 'if (seen === undefined) await results.send(r);',
        what: 'a page re-expanded along a shorter path is not reported again',
        why: 'every URL is reported exactly once',
      },
    ],
  },
  mutex: {
    variant: 'mutex',
    title: 'ConcurrentMutex',
    ts: 'lib/designs/mutex.ts',
    go: 'go/crawler/mutex.go',
    names: ['fetchState', 'mu', 'fetched', 'testAndSet', 'ConcurrentMutex', 'makeState', 'done', 'url', 'fetcher', 'urls', 'u'],
    pairs: [
      ['// Concurrent crawler with shared state and Mutex', '// Concurrent crawler with shared state and Mutex'],
      ['export class fetchState {', 'type fetchState struct {'],
      ['mu = new Mutex();', 'mu '],
      ['fetched = new Map<string, number>();', 'fetched map[string]int'],
      ['// TS: returns the old value, and sets only when this path is shorter', '// testAndSet returns the old value, and sets only when this path is shorter'],
      ['async testAndSet(url: string, left: number)', 'func (fs *fetchState) testAndSet(url string, left int)'],
      ['await this.mu.lock();', 'fs.mu.Lock()'],
      ['try {', 'defer fs.mu.Unlock()'],
      ['const r = this.fetched.get(url);', 'r, ok := fs.fetched[url]'],
      ['if (worthVisit(r, left)) this.fetched.set(url, left);', 'if worthVisit(r, ok, left) {'],
      ['return r;', 'return r, ok'],
      ['export function ConcurrentMutex(', 'func ConcurrentMutex('],
      ['const left = depthLeft(options, depth);', 'left := depthLeft(opts, depth)'],
      ['const seen = await fs.testAndSet(url, left);', 'seen, ok := fs.testAndSet(url, left)'],
      ['if (!worthVisit(seen, left)) {', 'if !worthVisit(seen, ok, left) {'],
      ['const r = await fetchResult(fetcher, url, depth, signal);', 'urls, err := fetcher.Fetch(url)'],
      ["if (r.kind !== 'found' || left <= 0) {", 'if err != nil || left <= 0 {'],
      ['const done = new WaitGroup();', 'var done sync.WaitGroup'],
      ['for (const u of r.page.urls) {', 'for _, u := range urls {'],
      ['done.add(1);', 'done.Add(1)'],
      ['go((async (u: string) => {', 'go func(u string) {'],
      ['try {', 'defer done.Done()'],
      ['await concurrentMutex(u, depth + 1);', 'ConcurrentMutex(u, fetcher, fs, opts, depth+1)'],
      ['})(u), signal);', '}(u)'],
      ['await done.wait();', 'done.Wait()'],
      ['export function makeState(): fetchState {', 'func makeState() *fetchState {'],
      ['return new fetchState();', 'return &fetchState{'],
    ],
    departures: [
      { at: 'fetched = new Map<string, number>();', ...hopsLeftMap },
      {
        at: 'async testAndSet(url: string, left: number)',
        what: 'testAndSet is async, takes the hops left and sets only when this path is shorter',
        why: 'the lock is awaited, and depth limits need the old value and the shorter path',
      },
      {
        at: 'export function ConcurrentMutex(',
        what: 'an async generator of results, with an options object (maxDepth, signal)',
        why: "a caller reads each page's outcome as it comes and can stop the crawl; the lecture's fetcher prints instead",
      },
      {
        at: 'return funnel<Result>(options.signal, funnelBuffer,',
        what: 'the results funnel: the tasks send results on a channel of 1,024 that the generator reads; past it they wait in line',
        why: 'one generator for many tasks, and tasks held back instead of piling up results',
      },
      {
        at: 'const r = await fetchResult(fetcher, url, depth, signal);',
        what: "the signal: each fetch takes the crawl's AbortSignal, and a failure is a result, not a bare err",
        why: 'a stop aborts the fetches in flight, and the report needs every outcome',
      },
      {
        at: 'go((async (u: string) => {',
        what: 'go() is a function that checks how the task ends',
        why: 'an unhandled rejection kills Node, where a goroutine just ends',
      },
    ],
  },
  channel: {
    variant: 'channel',
    title: 'ConcurrentChannel',
    ts: 'lib/designs/channel.ts',
    go: 'go/crawler/channel.go',
    names: ['worker', 'coordinator', 'ConcurrentChannel', 'ch', 'n', 'fetched', 'url', 'urls', 'fetcher', 'u'],
    pairs: [
      ['// Concurrent crawler with channels', '// Concurrent crawler with channels'],
      [
        '/** What a worker sends: the URLs to follow (Go sends just these)',
        '// message is what a worker sends: the URLs to follow (the lecture sends just these)',
      ],
      ['interface Message {', 'type message struct {'],
      ['urls: string[];', 'urls '],
      ['depth: number;', 'depth int'],
      ['async function worker(', 'func worker('],
      ['const r = await fetchResult(fetcher, url, depth, signal);', 'urls, err := fetcher.Fetch(url)'],
      ["if (r.kind !== 'found' || depthLeft(options, depth) <= 0) {", 'if err != nil || depthLeft(opts, depth) <= 0 {'],
      ['await ch.send({ urls: [], depth, result }', 'ch <- message{[]string{}, depth}'],
      ['} else {', '} else {'],
      ['await ch.send({ urls: r.page.urls, depth, result }', 'ch <- message{urls, depth}'],
      ['async function* coordinator(', 'func coordinator('],
      ['let n = 1;', 'n := 1'],
      ['const fetched = new Map<string, number>();', 'fetched := make(map[string]int)'],
      ['for await (const { urls, depth, result } of range(ch)) {', 'for m := range ch {'],
      ['for (const u of urls) {', 'for _, u := range m.urls {'],
      ['const left = depthLeft(options, depth + 1);', 'left := depthLeft(opts, m.depth+1)'],
      ['const seen = fetched.get(u);', 'seen, ok := fetched[u]'],
      ['if (worthVisit(seen, left)) {', 'if worthVisit(seen, ok, left) {'],
      ['fetched.set(u, left);', 'fetched[u] = left'],
      ['n += 1;', 'n += 1'],
      ['go(worker(u, depth + 1, ', 'go worker(u, m.depth+1, '],
      ['n -= 1;', 'n -= 1'],
      ['if (n === 0) {', 'if n == 0 {'],
      ['break;', 'break'],
      ['export async function* ConcurrentChannel(', 'func ConcurrentChannel('],
      ['const ch = ', 'ch := make(chan message)'],
      ['go(ch.send({ urls: [url], depth: -1 }', 'go func() {'],
      ['yield* coordinator(ch, fetcher, options, signal);', 'coordinator(ch, fetcher, opts)'],
    ],
    departures: [
      {
        at: 'export interface ChannelOptions extends CrawlOptions {',
        what: "channelBuffer sizes the channel; 0, the default, is the lecture's unbuffered one",
        why: 'to measure what a waiting worker costs here against a queued message (make bench, section 6)',
      },
      {
        at: 'depth: number;',
        what: 'depth bookkeeping: a message carries the depth of the page it came from',
        why: "under maxDepth the coordinator needs each URL's hops left",
      },
      {
        at: 'result?: Result;',
        what: "the results funnel: a message carries the worker's result and the coordinator yields it",
        why: "the coordinator is the generator's one reader; the lecture's fetcher prints in the worker instead",
      },
      {
        at: 'const result = first ? r : undefined;',
        what: 'a page re-expanded along a shorter path is not reported again',
        why: 'every URL is reported exactly once',
      },
      { at: 'const fetched = new Map<string, number>();', ...hopsLeftMap },
      {
        at: 'export async function* ConcurrentChannel(',
        what: 'an async generator of results, with an options object (maxDepth, signal, channelBuffer)',
        why: "a caller reads each page's outcome as it comes and can stop the crawl",
      },
      {
        at: 'const signal = eitherSignal(options.signal, stop.signal);',
        what: "the signal: the caller's, or the design's own when its consumer stops early, aborts every fetch",
        why: 'a generator left early must not leave workers fetching',
      },
      {
        at: 'ch.close();',
        what: 'the channel is closed when the coordinator ends',
        why: 'after an early stop nobody receives, so each waiting send fails instead of blocking for ever',
      },
    ],
  },
};

/** Two lines that stand side by side, 0-based, and the pair of the map they come from. */
export interface LinePair {
  ts: number;
  go: number;
  pair: number;
}

export interface Pairing {
  lines: LinePair[];
  /** One sentence per way the files have drifted apart; empty when they agree. */
  problems: string[];
}

/** Finds each pair's lines in the two texts and says what no longer matches. */
export function pairLines(twin: Twin, tsText: string, goText: string): Pairing {
  const sides = {
    ts: { file: twin.ts, lines: tsText.split('\n').map((l) => l.trim()), at: -1 },
    go: { file: twin.go, lines: goText.split('\n').map((l) => l.trim()), at: -1 },
  };
  const problems: string[] = [];
  for (const name of twin.names) {
    const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
    for (const [side, text] of [
      ['ts', tsText],
      ['go', goText],
    ] as const) {
      if (!word.test(text)) problems.push(`${sides[side].file}: the Go original's name "${name}" is missing`);
    }
  }
  const lines: LinePair[] = [];
  twin.pairs.forEach((fragments, pair) => {
    const found = { ts: -1, go: -1 };
    for (const [k, side] of (['ts', 'go'] as const).entries()) {
      const s = sides[side];
      const other = sides[side === 'ts' ? 'go' : 'ts'];
      const fragment = fragments[k]!;
      const twinText = `its twin "${fragments[1 - k]}" (${other.file})`;
      const at = s.lines.findIndex((line, i) => i > s.at && line.startsWith(fragment));
      if (at !== -1) {
        found[side] = at;
        continue;
      }
      const before = s.lines.findIndex((line, i) => i <= s.at && line.startsWith(fragment));
      if (before === -1) problems.push(`${s.file}: no line "${fragment}" for ${twinText}`);
      else problems.push(`${s.file}:${before + 1}: "${fragment}" is out of order: it must come after line ${s.at + 1}, as ${twinText} does`);
    }
    if (found.ts !== -1) sides.ts.at = found.ts;
    if (found.go !== -1) sides.go.at = found.go;
    if (found.ts !== -1 && found.go !== -1) lines.push({ ts: found.ts, go: found.go, pair });
  });
  return { lines, problems };
}

/** Each departure's TS line (0-based, the first line that starts with `at`), and any `at` no line starts with. */
export function departureLines(twin: Twin, tsText: string): { lines: { ts: number; departure: Departure }[]; problems: string[] } {
  const ts = tsText.split('\n').map((l) => l.trim());
  const lines: { ts: number; departure: Departure }[] = [];
  const problems: string[] = [];
  for (const departure of twin.departures) {
    const at = ts.findIndex((line) => line.startsWith(departure.at));
    if (at === -1) problems.push(`${twin.ts}: no line "${departure.at}" for the departure "${departure.what}"`);
    else lines.push({ ts: at, departure });
  }
  return { lines, problems };
}

/** The repository's root: the directory holding package.json and go/. */
export const repoRoot = packageRoot;

/** The two source texts of a twin, read from the repository. */
export function readTwin(twin: Twin, root = repoRoot): { tsText: string; goText: string } {
  return { tsText: readFileSync(join(root, twin.ts), 'utf8'), goText: readFileSync(join(root, twin.go), 'utf8') };
}
