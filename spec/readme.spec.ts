// README's "As a library": each example, as written there, compiled by strict tsc in a project that
// installed the packed tarball and run against a site on 127.0.0.1; and its options table, whose
// defaults must be the code's own.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlerDefaults } from '../lib/crawl.js';
import { channelDefaults } from '../lib/designs/channel.js';
import { httpDefaults } from '../lib/fetchers/http-defaults.js';
import { politenessDefaults } from '../lib/seams/politeness.js';
import { siteDefaults } from '../lib/site.js';
import { homepage, version } from '../lib/version.js';
import { cli } from './support/cli.js';
import { consumerProject, typeCheck } from './support/consumer.js';
import { docsFiles, serveDocs } from './support/docs-site.js';
import { startSite, type Site } from './support/site.js';

const readme = readFileSync('README.md', 'utf8');
const section = /^## As a library\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';

/** The section's examples: each ```ts block whose first line names its file. */
const examples = Object.fromEntries([...section.matchAll(/```ts\n(\/\/ (\S+\.ts):[\s\S]*?)```/g)].map((m) => [m[2]!, m[1]!]));

/** What the README says `$ node FILE` prints, in the console block that runs it. */
function printed(file: string): string {
  const block = new RegExp(`\\$ node ${file.replace('.', '\\.')}\\n([^$\`]*)`).exec(section);
  return block?.[1] ?? '';
}

type Line = { url: string; outcome: string; title?: string; error?: string; urls?: string[]; linkedFrom?: string[] };
const rows = (jsonl: string): Line[] =>
  jsonl
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe("README's library examples, compiled and run as written", () => {
  let dir: string;
  let docs: Site;
  let other: Site;
  const run = async (file: string, ...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [file.replace(/\.ts$/, '.js'), ...args], { cwd: dir, encoding: 'utf8' });
      return { status: 0, stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { status: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-readme-'));
    dir = join(tmp, 'project');
    mkdirSync(dir);
    consumerProject(dir, examples);
    other = await startSite({ '/ok': 'ok' });
    docs = await serveDocs(docsFiles(other.origin));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([docs?.close(), other?.close()]);
  });

  it('the section has its four examples, and strict tsc (NodeNext) compiles them against the package', () => {
    expect(Object.keys(examples).sort()).toEqual(['broken-links.ts', 'outcomes.ts', 'own-fetcher.ts', 'titles.ts']);
    expect(typeCheck(dir, { module: 'NodeNext', moduleResolution: 'NodeNext' })).toBe('');
  }, 60_000);

  it("titles.ts prints each found page's URL and title, as the CLI reports them", async () => {
    const start = docs.url('/index.html');
    const [example, report] = await Promise.all([run('titles.ts', start), cli('--format', 'jsonl', '-q', start)]);
    expect(example.status).toBe(0);
    const found = rows(report.stdout).filter((r) => r.outcome === 'found');
    expect(found.length).toBeGreaterThan(3);
    expect(example.stdout.split('\n').filter(Boolean).sort()).toEqual(found.map((r) => `${r.url} ${r.title ?? ''}`).sort());
  });

  it('broken-links.ts prints each failed URL with its error and a page that links to it, and exits 1', async () => {
    const start = docs.url('/index.html');
    const [example, report] = await Promise.all([run('broken-links.ts', start), cli('--format', 'jsonl', '-q', start)]);
    expect(example.status).toBe(1);
    const lines = rows(report.stdout);
    const failed = lines.filter((r) => r.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    const printedLines = example.stdout.split('\n').filter(Boolean);
    expect(printedLines.map((l) => l.replace(/, linked from .*/, '')).sort()).toEqual(failed.map((r) => `${r.url}: ${r.error}`).sort());
    for (const line of printedLines) {
      const [, url, count, first] = /^(\S+): .*, linked from (\d+) pages: (\S+) \.\.\.$/.exec(line)!;
      const linking = lines.filter((r) => r.outcome === 'found' && r.urls?.includes(url!)).map((r) => r.url);
      expect(linking, line).toContain(first);
      expect(Number(count)).toBeLessThanOrEqual(linking.length);
    }
  });

  it('own-fetcher.ts prints what the README shows', async () => {
    const example = await run('own-fetcher.ts');
    expect(example.status).toBe(0);
    expect(printed('own-fetcher.js')).not.toBe('');
    expect(example.stdout).toBe(printed('own-fetcher.js'));
  });

  it("outcomes.ts reads the CLI's -o report with the package's schema and counts its outcomes", async () => {
    const report = join(dir, 'report.jsonl');
    expect((await cli('-q', '-o', report, docs.url('/index.html'))).status).toBe(0);
    const counts: Record<string, number> = {};
    for (const r of rows(readFileSync(report, 'utf8'))) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    expect(Object.keys(counts).sort()).toEqual(['failed', 'found', 'skipped']);
    expect((await run('outcomes.ts', report)).stdout).toBe(`${inspect(counts)}\n`);
    writeFileSync(report, '{"url":"http://a/","outcome":"lost"}\n');
    expect((await run('outcomes.ts', report)).status, 'a line the schema refuses').toBe(1);
  });
});

describe("README's options table", () => {
  // crawlSite's defaults: the site's over crawl()'s and the politeness seam's, then the fetcher's.
  const defaults: Record<string, unknown> = { ...httpDefaults, ...channelDefaults, delayMs: politenessDefaults.delayMs, ...crawlerDefaults, ...siteDefaults };
  const table = new Map<string, string>();
  for (const [, names, given] of section.matchAll(/^\| ((?:`\w+`(?:, )?)+) \| ([^|]+) \|/gm)) {
    for (const name of names!.split(', ')) table.set(name.replaceAll('`', ''), given!.trim());
  }
  const written = (value: unknown): string => {
    if (typeof value === 'string')
      return value === httpDefaults.userAgent ? `\`${value.replace(version, 'VERSION').replace(homepage, 'home page')}\`` : `\`'${value}'\``;
    return `\`${String(value)}\``;
  };
  // The one default the table words instead of giving a value: siteFetcher sizes the pools by perHost.
  const worded: Record<string, string> = { connectionsPerOrigin: 'the `perHost` cap' };

  it.each(Object.keys(defaults))('%s: in the table, with the default the code has', (name) => {
    expect(table.get(name)).toBe(worded[name] ?? written(defaults[name]));
  });
});

describe("README's synopsis of the command", () => {
  it('is the Usage block of `chancrawl --help`, as it prints', async () => {
    const help = (await cli('--help')).stdout;
    const usage = /^Usage:\n((?: {2}.*\n)+)/m.exec(help)![1]!.replace(/^ {2}/gm, '');
    const synopsis = /^## The command\n\n```\n([\s\S]*?)```/m.exec(readme)?.[1];
    expect(synopsis).toBe(usage);
  });
});
