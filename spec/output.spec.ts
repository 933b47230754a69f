// The report as a file (-o, jsonl and csv), its schema, and the facts in it: the title, unique
// links beside their count, request times without the queue, every page linking to a failed URL.
// Crawled: pages written like the Python docs, served from a temp dir on 127.0.0.1.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportLine, csvColumns } from '../lib/output/schema.js';
import { cli, cliPath } from './support/cli.js';
import { docsFiles, serveDocs } from './support/docs-site.js';
import { page, respond, startSite, type Handler, type Site } from './support/site.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function track<S extends Site>(s: Promise<S>): Promise<S> {
  const site = await s;
  cleanups.push(() => site.close());
  return site;
}
/** The docs-like site, and the other site it links to. */
async function docs(): Promise<{ docs: Site; other: Site }> {
  const other = await track(startSite({ '/ok': page('Other'), '/gone': respond(404, 'gone') }));
  return { docs: await track(serveDocs(docsFiles(other.origin))), other };
}
const fresh = () => mkdtempSync(join(tmpdir(), 'chancrawl-out-'));
const parse = (text: string): ReportLine[] =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => ReportLine.parse(JSON.parse(l)));

describe('the report as a file', () => {
  it('-o FILE.jsonl writes every line there, in the schema, creating the folder; stdout stays empty', async () => {
    const { docs: s, other } = await docs();
    const file = join(fresh(), 'a', 'b', 'report.jsonl');
    const run = await cli('-o', file, '--quiet', s.url('/index.html'));
    expect(run).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const lines = parse(readFileSync(file, 'utf8'));
    const byPath = new Map(lines.map((l) => [l.url.replace(s.origin, ''), l]));
    expect([...byPath.keys()].sort()).toEqual(
      [
        '/genindex.html',
        '/index.html',
        '/library/functions.html',
        '/library/index.html',
        '/library/missing.html',
        '/library/os.html',
        '/whatsnew/3.11.html',
        `${other.origin}/gone`,
        `${other.origin}/no-head`,
        `${other.origin}/ok`,
      ].sort(),
    );
    expect(byPath.get(`${other.origin}/ok`)).toMatchObject({ outcome: 'skipped', reason: 'scope' });
    expect(byPath.get('/library/os.html')).toMatchObject({
      outcome: 'found',
      title: 'os \u2014 Miscellaneous operating system interfaces \u2014 Python 3.11.2 documentation',
    });
    expect(byPath.get('/library/os.html')).not.toHaveProperty('body');
  });

  it('--output FILE.csv writes a header of the documented columns and one row per URL, quoted where needed', async () => {
    const { docs: s } = await docs();
    const dir = fresh();
    await cli('-o', join(dir, 'r.jsonl'), '--quiet', s.url('/index.html'));
    const run = await cli('--output', join(dir, 'new', 'r.csv'), '--quiet', s.url('/index.html'));
    expect(run.status).toBe(0);
    const [header, ...rows] = readFileSync(join(dir, 'new', 'r.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(header).toBe(csvColumns.join(','));
    expect(header).toBe('url,outcome,depth,parent,finalUrl,status,contentType,bytes,title,body,links,start,end,wait,error,reason,linkedFrom');
    expect(rows.length).toBe(parse(readFileSync(join(dir, 'r.jsonl'), 'utf8')).length);
    const whatsnew = rows.find((r) => r.startsWith(`${s.url('/whatsnew/3.11.html')},found,`))!;
    expect(whatsnew).toContain(',"What\u2019s New In Python 3.11, ""fast"" \u2014 Python 3.11.2 documentation",');
    const missing = rows.find((r) => r.startsWith(`${s.url('/library/missing.html')},failed,`))!;
    const linkers = [s.url('/library/functions.html'), s.url('/library/os.html'), s.url('/whatsnew/3.11.html')];
    const linkedFrom = missing.split(',').at(-1)!.split(' ');
    expect(linkedFrom.length).toBeGreaterThan(0);
    for (const from of linkedFrom) expect(linkers).toContain(from);
  });

  it('--timeline and --graph create their folders too (the README example in a fresh folder)', async () => {
    const dir = fresh();
    const run = await cli('--variant', 'mutex', '--latency-ms', '1-3', '--timeline', join(dir, 'out', 't.svg'), '--graph', join(dir, 'out2', 'g.dot'));
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, 'out', 't.svg')) && existsSync(join(dir, 'out2', 'g.dot'))).toBe(true);
  });

  it('-o in a folder that cannot be made is bad input, exit 2, before any crawl', async () => {
    const run = await cli('-o', join(cliPath, 'x', 'r.jsonl'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^chancrawl: --output .*: cannot write there: (ENOTDIR|EEXIST)\n$/);
    expect(run.stdout).toBe('');
  });
});

describe('one field per fact', () => {
  it('urls holds each link once, in order of first appearance, beside links, the raw count', async () => {
    const { docs: s } = await docs();
    const lines = parse((await cli('--format', 'jsonl', '--quiet', s.url('/index.html'))).stdout);
    const genindex = lines.find((l) => l.url === s.url('/genindex.html'));
    expect(genindex).toMatchObject({
      outcome: 'found',
      links: 41,
      urls: [s.url('/library/functions.html'), s.url('/library/os.html'), s.url('/library/index.html')],
    });
  });

  it('a failed line is written when its URL fails, linkedFrom naming the pages reported before it that link to it; the later ones list it in urls', async () => {
    const { docs: s } = await docs();
    const missingUrl = s.url('/library/missing.html');
    const linkers = [s.url('/library/functions.html'), s.url('/library/os.html'), s.url('/whatsnew/3.11.html')];
    for (const variant of ['serial', 'mutex', 'channel']) {
      const lines = parse((await cli('--format', 'jsonl', '--quiet', '--variant', variant, s.url('/index.html'))).stdout);
      const at = lines.findIndex((l) => l.url === missingUrl);
      const missing = lines[at];
      expect(missing?.outcome).toBe('failed');
      if (missing?.outcome !== 'failed') return;
      const linking = (l: ReportLine) => l.outcome === 'found' && l.urls.includes(missingUrl);
      expect(missing.linkedFrom).toEqual(
        lines
          .slice(0, at)
          .filter(linking)
          .map((l) => l.url),
      );
      expect(missing.linkedFrom).toContain(missing.parent);
      expect(
        [
          ...missing.linkedFrom,
          ...lines
            .slice(at + 1)
            .filter(linking)
            .map((l) => l.url),
        ].sort(),
      ).toEqual(linkers);
    }
  });

  it('start and end are when the request itself ran: under --concurrency 1 the second request starts after the first ends, its wait beside', async () => {
    const slow = (_req: unknown, res: { end(b: string): void }) => void setTimeout(() => res.end(page('Slow')), 300);
    const s = await track(startSite({ '/': page('Home', '/slow', '/fast'), '/slow': slow, '/fast': page('Fast') }));
    const lines = parse((await cli('--format', 'jsonl', '--quiet', '--concurrency', '1', '--ignore-robots', s.url('/'))).stdout);
    const [first, second] = lines
      .filter((l) => l.outcome === 'found' && l.depth === 1)
      .sort((a, b) => (a as { start: number }).start - (b as { start: number }).start) as Extract<ReportLine, { outcome: 'found' }>[];
    expect(second!.start).toBeGreaterThanOrEqual(first!.end);
    expect(second!.wait).toBeGreaterThan(0);
  });
});

describe('nothing is lost when the process dies', () => {
  it('kill -9 mid-crawl: the failed lines already decided are on disk, each once, while a request still hangs', async () => {
    const hanging: Handler = () => new Promise<void>(() => {}); // never answers: the crawl cannot end
    const s = await track(
      startSite({ '/': page('Home', '/gone/1', '/hang', '/gone/2', '/gone/3'), '/gone/1': respond(404), '/gone/2': respond(404), '/gone/3': respond(410) }),
    );
    s.route('/hang', hanging);
    const file = join(fresh(), 'report.jsonl');
    const child = spawn(
      process.execPath,
      [cliPath, '-o', file, '--quiet', '--ignore-robots', '--timeout-ms', '60000', '--response-timeout-ms', '60000', s.url('/')],
      { stdio: 'ignore' },
    );
    const failedOnDisk = () => (existsSync(file) ? readFileSync(file, 'utf8') : '').split('\n').filter((l) => l.includes('"outcome":"failed"'));
    try {
      const deadline = Date.now() + 10_000;
      while (failedOnDisk().length < 3 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(child.exitCode).toBe(null); // mid-crawl: /hang is still owed
      expect(s.hits('/hang')).toBe(1);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    const lines = parse(readFileSync(file, 'utf8'));
    expect(
      lines
        .filter((l) => l.outcome === 'failed')
        .map((l) => l.url)
        .sort(),
    ).toEqual([s.url('/gone/1'), s.url('/gone/2'), s.url('/gone/3')]);
    expect(lines.find((l) => l.url === s.url('/gone/3'))).toMatchObject({ status: 410, linkedFrom: [s.url('/')], parent: s.url('/') });
    expect(new Set(lines.map((l) => l.url)).size).toBe(lines.length);
  }, 20_000);
});
