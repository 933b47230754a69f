// The progress line on a real terminal (a tmux pane of 40 columns): never glued to a report line
// written to the same terminal, never wrapped, drawn again to the new width when the terminal is
// made narrower, and no row of it left behind on the screen.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath } from './support/cli.js';
import { hasTmux, openPane, type Pane } from './support/tmux.js';

// 150 fetches of 40 ms, 3 at a time: about 2 s, eight progress redraws and many report batches.
const crawlArgs = ['--fixture', 'fixtures/wide-fan.json', '--latency-ms', '40', '--concurrency', '3', '--max-pages', '150'];
const command = (...extra: string[]) => [process.execPath, cliPath, ...crawlArgs, ...extra].join(' ');
const tmp = mkdtempSync(join(tmpdir(), 'chancrawl-terminal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The report the same crawl writes to a pipe, as lines. */
const piped = (format: string) =>
  execFileSync(process.execPath, [cliPath, ...crawlArgs, '--format', format], { encoding: 'utf8' })
    .trimEnd()
    .split('\n');

const progressRow = /^done \d+/;

/** While the command runs: each screen shows the progress line on its last row with text only (below the report), whole, within the width. */
async function watchWhileRunning(pane: Pane, columns: () => number): Promise<{ screens: number; withProgress: number; widest: number }> {
  let screens = 0;
  let withProgress = 0;
  let widest = 0;
  for (;;) {
    const rows = pane.rows();
    const last = rows.findLastIndex((r) => r !== '');
    if (rows.some((r) => /^exit \d+$/.test(r))) break;
    screens += 1;
    rows.forEach((row, i) => {
      if (!/done \d|pages\/s|\/s$|in flight|queued \d/.test(row)) return;
      expect(i, `a piece of the progress line above the last row:\n${rows.join('\n')}`).toBe(last);
      expect(row).toMatch(progressRow);
      expect(row.length).toBeLessThan(columns());
      withProgress += 1;
      widest = Math.max(widest, row.length);
    });
    await sleep(60);
  }
  return { screens, withProgress, widest };
}

describe.runIf(hasTmux())('on a terminal of 40 columns', { timeout: 60_000 }, () => {
  it('stdout and stderr on it: every line of the report is whole (none glued to the progress line), and no progress row is left', async () => {
    const pane = openPane(command('--format', 'jsonl'), 40, 24);
    try {
      const seen = await watchWhileRunning(pane, () => 40);
      expect(await pane.exited()).toBe(0);
      expect(seen.withProgress).toBeGreaterThan(2); // it was drawn, and it was checked
      const lines = pane.lines().filter((l) => l !== '');
      expect(lines.at(-1)).toBe('exit 0');
      const report = lines.slice(0, -1);
      for (const line of report) expect(() => JSON.parse(line), `not a report line: ${line}`).not.toThrow();
      expect(report.map((l) => (JSON.parse(l) as { url: string }).url).sort()).toEqual(
        piped('jsonl')
          .map((l) => (JSON.parse(l) as { url: string }).url)
          .sort(),
      );
    } finally {
      pane.close();
    }
  });

  it('made narrower while it runs (80 to 40 columns): the line is drawn again to fit, and its wrapped rows are cleared', async () => {
    const pane = openPane(command(), 80, 24);
    let columns = 80;
    try {
      for (let i = 0; i < 100 && !pane.rows().some((r) => progressRow.test(r) && r.length > 40); i++) await sleep(20);
      expect(pane.rows().some((r) => progressRow.test(r) && r.length > 40)).toBe(true); // the wide line, before
      pane.resize(40, 24);
      columns = 40;
      await sleep(100);
      const seen = await watchWhileRunning(pane, () => columns);
      expect(await pane.exited()).toBe(0);
      expect(seen.withProgress).toBeGreaterThan(2);
      expect(seen.widest).toBeLessThan(40);
      const lines = pane.lines().filter((l) => l !== '');
      expect(lines.slice(0, -1).filter((l) => !/^(found|missing): +http:\/\/fan\.test\/\d*$/.test(l))).toEqual([]);
      expect(lines.slice(0, -1)).toHaveLength(piped('go').length);
    } finally {
      pane.close();
    }
  });

  it('stdout to a file, stderr on it: the progress line shows, the file has only the report', async () => {
    const file = join(tmp, 'report.jsonl');
    const pane = openPane(`${command('--format', 'jsonl')} > ${file}`, 40, 10);
    try {
      const seen = await watchWhileRunning(pane, () => 40);
      expect(await pane.exited()).toBe(0);
      expect(seen.withProgress).toBeGreaterThan(2);
      expect(pane.lines().filter((l) => l !== '')).toEqual(['exit 0']); // erased at the end
      const written = readFileSync(file, 'utf8');
      expect(written).not.toContain('\x1b');
      expect(written.trimEnd().split('\n')).toHaveLength(piped('jsonl').length);
    } finally {
      pane.close();
    }
  });

  it('stdout on it, stderr to a file: no progress line anywhere', async () => {
    const file = join(tmp, 'stderr.txt');
    const pane = openPane(`${command()} 2> ${file}`, 40, 10);
    try {
      const seen = await watchWhileRunning(pane, () => 40);
      expect(await pane.exited()).toBe(0);
      expect(seen.withProgress).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe('');
    } finally {
      pane.close();
    }
  });
});

describe('tmux', () => {
  it('is installed (.ci/run installs it): the terminal tests above need it', () => {
    expect(hasTmux()).toBe(true);
  });
});
