// --resume on the built CLI: a crawl stopped by SIGINT, a page limit or kill -9 is continued from
// its jsonl report, and the old report's settled lines with the new report are the whole crawl,
// each URL once, with no page fetched twice.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { variants } from '../lib/crawl.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/lib/cli/main.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-resume-'));
const graph = join(tmp, 'graph.json');
expect(cli('gen', '--pages', '3000', '--seed', '7', '--out', graph).status).toBe(0);

interface Line {
  url: string;
  outcome: 'found' | 'failed' | 'skipped';
  reason?: string;
}
const reopened = new Set(['aborted', 'max-pages', 'max-time', 'depth']);
const lines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
const outcome = (l: Line) => `${l.url} ${l.outcome}${l.outcome === 'skipped' ? ` ${l.reason}` : ''}`;

/** The lines a resumed run keeps from an old report: all but those skipped for a stop, a limit or depth. */
const settled = (old: Line[]) => old.filter((l) => !(l.outcome === 'skipped' && reopened.has(l.reason!)));

/** Runs the CLI with stdout to `path`; when `path` has `bytes`, sends `signal`. */
async function stopWhenWritten(args: string[], path: string, bytes: number, signal: NodeJS.Signals): Promise<number | null> {
  const fd = openSync(path, 'w');
  const child = spawn(process.execPath, ['dist/lib/cli/main.js', ...args], { stdio: ['ignore', fd, 'ignore'] });
  closeSync(fd);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let over = false;
  void exited.then(() => (over = true));
  while (!over && statSync(path).size < bytes) await sleep(5);
  child.kill(signal);
  const [code] = await exited;
  return code;
}

/** Old settled lines plus the resumed run's lines: each URL once, and the same outcomes as one whole crawl. */
function expectWhole(old: Line[], resumed: Line[], whole: Line[]): void {
  const union = [...settled(old), ...resumed];
  const counts = new Map<string, number>();
  for (const l of union) counts.set(l.url, (counts.get(l.url) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  expect(union.map(outcome).sort()).toEqual(whole.map(outcome).sort());
}

describe('--resume', () => {
  const crawl = ['--fixture', graph, '--format', 'jsonl', '--concurrency', '4'];
  const whole = lines(cli(...crawl).stdout);

  it.each(variants)('--variant %s: SIGINT, then resume: the union is the whole crawl, each URL once', async (variant) => {
    const report = join(tmp, `sigint-${variant}.jsonl`);
    const code = await stopWhenWritten([...crawl, '--variant', variant, '--latency-ms', '5'], report, 1, 'SIGINT');
    expect(code).toBe(130);
    const old = lines(readFileSync(report, 'utf8'));
    expect(old.some((l) => l.reason === 'aborted')).toBe(true); // it did stop partway
    const run = cli(...crawl, '--variant', variant, '--resume', report);
    expect(run.status).toBe(0);
    const resumed = lines(run.stdout);
    expect(resumed.filter((l) => settled(old).some((o) => o.url === l.url))).toEqual([]); // nothing settled is fetched or reported again
    expectWhole(old, resumed, whole);
  });

  it('after kill -9 with a half-written last line, the report is read to its last whole line', async () => {
    const report = join(tmp, 'killed.jsonl');
    const code = await stopWhenWritten([...crawl, '--latency-ms', '5'], report, 1 << 16, 'SIGKILL');
    expect(code).toBe(null);
    let text = readFileSync(report, 'utf8');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    truncateSync(report, Buffer.byteLength(text.slice(0, lastStart + 20))); // cut the last line in the middle
    text = readFileSync(report, 'utf8');
    expect(text.endsWith('\n')).toBe(false);
    const old = lines(text.slice(0, text.lastIndexOf('\n') + 1));
    expect(old.length).toBeLessThan(whole.length);
    const run = cli(...crawl, '--resume', report);
    expect(run.status).toBe(0);
    expectWhole(old, lines(run.stdout), whole);
  });

  it('a page limit with a depth limit, then resumed twice: the three reports are the whole crawl', () => {
    const deep = [...crawl, '--depth', '4', '--variant', 'serial']; // depth-first: a stop leaves URLs skipped 'depth' that a shorter path reaches later
    const wholeDeep = lines(cli(...deep).stdout);
    const first = join(tmp, 'first.jsonl');
    const second = join(tmp, 'second.jsonl');
    writeFileSync(first, cli(...deep, '--max-pages', '100').stdout);
    const run2 = cli(...deep, '--max-pages', '100', '--resume', first);
    expect(lines(run2.stdout).filter((l) => l.outcome !== 'skipped')).toHaveLength(100); // the limit counts this run's fetches only
    writeFileSync(second, run2.stdout);
    const run3 = cli(...deep, '--resume', first, '--resume', second);
    expect(run3.status).toBe(0);
    const old = [...settled(lines(readFileSync(first, 'utf8'))), ...lines(run2.stdout)];
    expectWhole(old, lines(run3.stdout), wholeDeep);
  });

  it('bad input is one line and exit 2', () => {
    const notJson = join(tmp, 'go.txt');
    writeFileSync(notJson, 'found:   http://golang.org/\n');
    const cases: [string[], RegExp][] = [
      [['--resume', join(tmp, 'none.jsonl')], /^chancrawl: --resume .*none\.jsonl: cannot read: ENOENT\n$/],
      [['--resume', notJson], /^chancrawl: --resume .*go\.txt: line 1 is not JSON/],
      [['--resume', join(tmp, 'first.jsonl'), 'http://golang.org/pkg/'], /that crawl started at /],
    ];
    for (const [args, message] of cases) {
      const run = cli(...crawl, ...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
