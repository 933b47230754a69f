// `make diff` passes on every fixture and on generated graphs, and fails when a design strays.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const make = (...args: string[]) => spawnSync('make', ['-s', 'diff', ...args], { encoding: 'utf8' });
const fixtures = readdirSync('fixtures')
  .filter((f) => f.endsWith('.json'))
  .map((f) => `fixtures/${f}`);
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-diff-'));
const out = (name: string) => `OUT=${join(tmp, name)}`;

describe('make diff', () => {
  it.each(
    fixtures.flatMap((f) => [
      [f, ''],
      [f, '2'],
    ]),
  )('%s, depth %s', (fixture, depth) => {
    const run = make(`FIXTURE=${fixture}`, `DEPTH=${depth}`, out(`${fixture.replace(/\W/g, '_')}-${depth}`));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^diff ok: /);
  });

  it.each([11, 12, 13])('a generated graph of 2,000 pages, seed %i, with and without a depth limit', (seed) => {
    const file = join(tmp, `gen-${seed}.json`);
    execFileSync(process.execPath, ['dist/lib/cli/main.js', 'gen', '--pages', '2000', '--seed', String(seed), '--out', file]);
    for (const depth of ['', '3']) {
      const run = make(`FIXTURE=${file}`, `DEPTH=${depth}`, out(`gen-${seed}-${depth}`));
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
  });

  it('fails with a unified diff when the designs disagree with the reference', () => {
    // A page that exists only for the reference: a start URL the fixture fetcher cannot see is
    // impossible, so instead diff a fixture against a reference computed for another depth.
    const file = join(tmp, 'tiny.json');
    writeFileSync(file, JSON.stringify({ pages: { 'http://t/a': { body: 'a', urls: ['http://t/b'] }, 'http://t/b': { body: 'b', urls: [] } } }));
    const run = spawnSync('make', ['-s', 'diff', `FIXTURE=${file}`, 'REFERENCE_FLAGS=--depth 0', out('tiny')], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/^\+found: {3}http:\/\/t\/b$/m);
  });
});
