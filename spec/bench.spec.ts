// The bench harness itself (bench/run.ts, `make bench`) still runs: its quick mode on tiny graphs
// prints every section's table with a row per design, Go's figures beside ours, and writes them
// with the machine and the commands to the results file. The figures themselves are not judged here.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-bench-'));
const results = join(tmp, 'results.md');
let run: SpawnSyncReturns<string>;

/** The rows (not the header or its rule) of the first table after `marker`. */
function rows(text: string, marker: string): string[][] {
  const at = text.indexOf(marker);
  if (at === -1) return [];
  const lines = text.slice(at).split('\n');
  const first = lines.findIndex((l) => l.startsWith('| '));
  if (first === -1) return [];
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  return lines.slice(first + 2, end === -1 ? undefined : end).map((l) => l.slice(2, -2).split(' | '));
}
const number = /^[\d,]+(\.\d+)?$/;

beforeAll(() => {
  const build = spawnSync('make', ['-s', 'out/bench/bench-go', 'out/go/chancrawl-go'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the Go side failed:\n${build.stdout}${build.stderr}`);
  run = spawnSync(
    process.execPath,
    ['dist/bench/run.js', '--quick', '--dir', tmp, '--out', results, '--go', 'out/bench/bench-go', '--go-cli', 'out/go/chancrawl-go'],
    { encoding: 'utf8' },
  );
}, 150_000); // section 7 alone starts 8 shared crawls of worker processes

describe('make bench, quick mode', () => {
  it('ends well and writes what it printed to the results file, with the machine and the commands', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const md = readFileSync(results, 'utf8');
    expect(run.stdout).toContain(md.slice(0, md.indexOf('## Commands')).trim());
    expect(md).toMatch(/\d+ cores .* node v\d+.*go\d/);
    expect(md).toMatch(/Load average before: [\d.]+, /);
    expect(md).toMatch(/Load average after: [\d.]+, /);
    expect(md).toContain('dist/bench/one.js --variant serial --fixture');
    expect(md).toContain('bench-go --variant channel --fixture');
  });

  it('latency-bound: every design without a cap, the concurrent ones also capped, each against its bound, cold, warm and in Go', () => {
    const table = rows(run.stdout, '## 1. Latency-bound');
    expect(table.map((r) => `${r[2]} ${r[3]}`)).toEqual(['serial none', 'mutex none', 'mutex 4', 'channel none', 'channel 4']);
    for (const r of table) {
      expect(r[4]).toMatch(/^(N × L|critical path|N × L \/ K): [\d,]+$/);
      for (const i of [5, 12]) expect(r[i]).toMatch(number);
      for (const i of [6, 13]) expect(r[i]).toMatch(/^\d+\.\d\d×$/);
      // the Go twins have no cap, and Serial's bound is N × L: Go and warm runs beside the uncapped concurrent rows only
      const uncapped = r[3] === 'none' && r[2] !== 'serial';
      for (const i of [8, 10]) expect(r[i]).toMatch(uncapped ? number : /^-$/);
    }
  });

  it('CPU-bound: each design beside its Go twin, on the library path and on the CLI path', () => {
    const lib = rows(run.stdout, '## 2. CPU-bound');
    expect(lib.map((r) => r[1])).toEqual(['serial', 'mutex', 'channel']);
    for (const r of lib) {
      for (const i of [2, 3, 4, 7, 8, 11, 12]) expect(r[i]).toMatch(number);
      expect(r[6]).toMatch(/^(met|\*\*not met\*\*)$/);
    }
    const floor = rows(run.stdout, 'The floor under every design');
    expect(floor).toHaveLength(1);
    for (const i of [0, 1, 2, 3, 5]) expect(floor[0]![i]).toMatch(number);
    const cliRows = rows(run.stdout, 'CLI path:');
    expect(cliRows.map((r) => r[1])).toEqual(['serial', 'mutex', 'channel']);
    for (const r of cliRows) for (const i of [2, 3, 5, 6]) expect(r[i]).toMatch(number);
  });

  it('HTTP: the channel design against a served graph, at each server latency', () => {
    const table = rows(run.stdout, '## 3. HTTP on loopback');
    expect(table.map((r) => r[0])).toEqual(['0 ms', '5 ms', '0 ms, 16 KB pages']);
    for (const r of table) for (const i of [1, 2, 3, 6, 7]) expect(r[i]).toMatch(number);
  });

  it("ConcurrentChannel's buffer: unbuffered (the default) and inf at each size, time and RSS, beside the Go twin", () => {
    const table = rows(run.stdout, "## 6. ConcurrentChannel's channel");
    expect(table.map((r) => `${r[0]} ${r[1]}`)).toEqual(['1,000 0 (default)', '1,000 inf']);
    for (const r of table) {
      expect(r[2]).toBe('1,000'); // every page of the graph fetched, whatever the buffer
      for (const i of [3, 4, 6, 8, 9]) expect(r[i]).toMatch(number);
    }
    expect(table[0]![5]).toBe('1.00×');
  });

  it('Redis: 1 and 2 worker processes, as a fixture and over HTTP, each with its rate, its ratio to one worker and its requests to Redis per page', () => {
    const table = rows(run.stdout, '## 7. One crawl, many processes');
    expect(table.map((r) => `${r[0]} ${r[1]}`)).toEqual(['fixture 1', 'fixture 2', 'HTTP 1', 'HTTP 2']);
    for (const r of table) {
      for (const i of [2, 3, 4, 7]) expect(r[i]).toMatch(number);
      expect(r[8]).toMatch(/^(met|\*\*not met\*\*)$/);
    }
    expect(table.map((r) => r[2])).toEqual(Array(4).fill(table[0]![2])); // every worker count fetched the same pages
    expect([table[0]![5], table[2]![5]]).toEqual(['1.00×', '1.00×']);
  });
});
