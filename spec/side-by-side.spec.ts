// The pairing of each design with its Go twin: the real files agree, and each kind of drift (a Go
// name gone, a twin line gone, a pair reordered) is caught; the two-column view and the HTML page.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { variants } from '../lib/crawl.js';
import { DriftError, alignRows, columns, departuresOf, htmlPage } from '../tools/side-by-side.js';
import { departureLines, pairLines, readTwin, twins, type Twin } from '../tools/twins.js';

const real = variants.map((v) => ({ twin: twins[v], ...readTwin(twins[v]) }));

/** The text with the line that starts (after indentation) with `fragment` changed by `edit`. */
function editLine(text: string, fragment: string, edit: (line: string) => string | undefined): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trim().startsWith(fragment));
  if (i === -1) throw new Error(`no line starts with ${fragment}`);
  const edited = edit(lines[i]!);
  if (edited === undefined) lines.splice(i, 1);
  else lines[i] = edited;
  return lines.join('\n');
}

/** The text with the lines holding two fragments swapped. */
function swapLines(text: string, a: string, b: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trim().startsWith(a));
  const j = lines.findIndex((l) => l.trim().startsWith(b));
  if (i === -1 || j === -1) throw new Error(`no lines for ${a} / ${b}`);
  [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  return lines.join('\n');
}

describe('the real design files and their Go twins', () => {
  it.each(real)('$twin.ts pairs every line of the map with $twin.go', ({ twin, tsText, goText }) => {
    const { lines, problems } = pairLines(twin, tsText, goText);
    expect(problems).toEqual([]);
    expect(lines.map((l) => l.pair)).toEqual(twin.pairs.map((_, i) => i));
  });

  it.each(real)('$twin.ts: each twin row holds the lines the map names, in file order', ({ twin, tsText, goText }) => {
    const { lines } = pairLines(twin, tsText, goText);
    const ts = tsText.split('\n');
    const go = goText.split('\n');
    for (const { ts: t, go: g, pair } of lines) {
      expect(ts[t]!.trim().startsWith(twin.pairs[pair]![0])).toBe(true);
      expect(go[g]!.trim().startsWith(twin.pairs[pair]![1])).toBe(true);
    }
    for (let i = 1; i < lines.length; i++) {
      expect(lines[i]!.ts).toBeGreaterThan(lines[i - 1]!.ts);
      expect(lines[i]!.go).toBeGreaterThan(lines[i - 1]!.go);
    }
  });
});

describe("each design's departures from the lecture's crawler.go", () => {
  it.each(real)('$twin.ts: every departure names a line of the file, and says what and why', ({ twin, tsText }) => {
    expect(twin.departures.length).toBeGreaterThan(0);
    const { lines, problems } = departureLines(twin, tsText);
    expect(problems).toEqual([]);
    const ts = tsText.split('\n');
    for (const { ts: at, departure } of lines) {
      expect(ts[at]!.trim().startsWith(departure.at)).toBe(true);
      expect(departure.what.length).toBeGreaterThan(10);
      expect(departure.why.length).toBeGreaterThan(10);
    }
  });

  it('a departure whose line is gone is a drift, and no view is laid out', () => {
    const { twin, tsText, goText } = real.find((r) => r.twin.variant === 'channel')!;
    const edited = editLine(tsText, 'ch.close();', () => undefined);
    expect(departureLines(twin, edited).problems).toEqual([
      `lib/designs/channel.ts: no line "ch.close();" for the departure "${twin.departures.find((d) => d.at === 'ch.close();')!.what}"`,
    ]);
    expect(() => alignRows(twin, edited, goText)).toThrow(DriftError);
  });

  it.each(real)('$twin.ts: the two-column view and the HTML page list every departure with its line number', ({ twin, tsText, goText }) => {
    const rows = alignRows(twin, tsText, goText);
    const text = columns(twin, rows, 400);
    const page = htmlPage([{ twin, rows }]);
    const { lines } = departureLines(twin, tsText);
    for (const { ts, departure } of lines) {
      expect(text).toContain(`line ${ts + 1}: ${departure.what} — ${departure.why}`);
      expect(page).toContain(`<li>line ${ts + 1}: `);
    }
    expect(departuresOf(twin, rows)).toHaveLength(twin.departures.length);
  });
});

describe('drift between a design and its twin is caught', () => {
  const { twin, tsText, goText } = real.find((r) => r.twin.variant === 'mutex')!;
  /** The problems a mutation adds to those the files have now (none, when they agree). */
  const added = (t: Twin, ts: string, go: string, before = pairLines(t, readTwin(t).tsText, readTwin(t).goText).problems) =>
    pairLines(t, ts, go).problems.filter((p) => !before.includes(p));

  it('a name of the Go original missing from the TypeScript file', () => {
    const renamed = tsText.replaceAll('testAndSet', 'checkAndMark');
    expect(added(twin, renamed, goText)).toContain(`lib/designs/mutex.ts: the Go original's name "testAndSet" is missing`);
  });

  it('a name missing from the Go twin', () => {
    const { tsText: t, goText: g } = readTwin(twins.channel);
    expect(added(twins.channel, t, g.replaceAll('coordinator', 'master'))).toContain(`go/crawler/channel.go: the Go original's name "coordinator" is missing`);
  });

  it('a TS twin line gone leaves its Go line without a twin', () => {
    expect(
      added(
        twin,
        editLine(tsText, 'done.add(1);', () => undefined),
        goText,
      ),
    ).toEqual([`lib/designs/mutex.ts: no line "done.add(1);" for its twin "done.Add(1)" (go/crawler/mutex.go)`]);
    expect(
      pairLines(
        twin,
        editLine(tsText, 'done.add(1);', () => undefined),
        goText,
      ).lines.length,
    ).toBe(pairLines(twin, tsText, goText).lines.length - 1);
  });

  it('a Go twin line changed leaves its TS line without a twin', () => {
    const problems = added(
      twin,
      tsText,
      editLine(goText, 'var done sync.WaitGroup', (l) => l.replace('var done sync.WaitGroup', 'done := new(sync.WaitGroup)')),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^go\/crawler\/mutex\.go: no line "var done sync\.WaitGroup" for its twin "const done = new WaitGroup\(\);"/);
  });

  it('a pair reordered in the TS file', () => {
    const problems = added(twin, swapLines(tsText, 'const seen = await fs.testAndSet(url, left);', 'const left = depthLeft(options, depth);'), goText);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^lib\/designs\/mutex\.ts:\d+: "const seen = await fs\.testAndSet\(url, left\);" is out of order/);
  });

  it('a pair reordered in the Go file', () => {
    const s = twins.serial;
    const { tsText: t, goText: g } = readTwin(s);
    const problems = added(s, t, swapLines(g, 'fetched[url] = left', 'urls, err := fetcher.Fetch(url)'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^go\/crawler\/serial\.go:\d+: "urls, err := fetcher\.Fetch\(url\)" is out of order/);
  });

  it('a drifted pair refuses to be laid out', () => {
    expect(() =>
      alignRows(
        twin,
        editLine(tsText, 'done.add(1);', () => undefined),
        goText,
      ),
    ).toThrow(DriftError);
  });
});

describe('the two-column view', () => {
  it.each(real)('$twin.ts: every line of both files appears once, in order, and twins share a row', ({ twin, tsText, goText }) => {
    const rows = alignRows(twin, tsText, goText);
    const lineCount = (t: string) => t.replace(/\n$/, '').split('\n').length;
    expect(rows.flatMap((r) => (r.ts ? [r.ts.n] : []))).toEqual(Array.from({ length: lineCount(tsText) }, (_, i) => i + 1));
    expect(rows.flatMap((r) => (r.go ? [r.go.n] : []))).toEqual(Array.from({ length: lineCount(goText) }, (_, i) => i + 1));
    const paired = rows.filter((r) => r.pair !== undefined);
    expect(paired.map((r) => r.pair)).toEqual(twin.pairs.map((_, i) => i));
    for (const r of paired) expect(r.ts && r.go).toBeTruthy();
  });

  it('columns() marks each twin row with "=" and keeps every line within the width', () => {
    const { twin, tsText, goText } = real[0]!;
    const rows = alignRows(twin, tsText, goText);
    for (const width of [80, 160]) {
      const text = columns(twin, rows, width);
      const [head, , ...rest] = text.replace(/\n$/, '').split('\n');
      const body = rest.slice(0, rest.indexOf('')); // then the departures
      const gutter = head!.indexOf('   Go: ') + 1;
      expect(body.map((l) => l[gutter]).filter((c) => c === '=')).toHaveLength(twin.pairs.length);
      expect(body.every((l) => l[gutter] === '=' || l[gutter] === '|')).toBe(true);
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('the view of a small pair lines up the Go line beside its TS line', () => {
    const twin: Twin = { variant: 'serial', title: 'T', ts: 'a.ts', go: 'a.go', names: [], pairs: [['b();', 'b()']], departures: [] };
    const rows = alignRows(twin, 'a();\nx();\nb();\n', 'y()\nb()\nz()\n');
    expect(rows).toEqual([
      { ts: { n: 1, text: 'a();' }, go: { n: 1, text: 'y()' } },
      { ts: { n: 2, text: 'x();' } },
      { ts: { n: 3, text: 'b();' }, go: { n: 2, text: 'b()' }, pair: 0 },
      { go: { n: 3, text: 'z()' } },
    ]);
  });

  it('make side-by-side prints the pair; a bad variant is one line and exit 2', () => {
    const ok = spawnSync(process.execPath, ['dist/tools/side-by-side.js', '--variant', 'channel', '--width', '200'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/let n = 1;\s+= \s*\d+\s+n := 1/);
    const bad = spawnSync(process.execPath, ['dist/tools/side-by-side.js', '--variant', 'tour'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('side-by-side: --variant: must be one of serial, mutex, channel (got "tour")\n');
  });
});

describe('docs/side-by-side.html', () => {
  let built: string | undefined;
  const page = () => (built ??= htmlPage(real.map(({ twin, tsText, goText }) => ({ twin, rows: alignRows(twin, tsText, goText) }))));

  it('is up to date with the design files (regenerate it with make docs)', () => {
    expect(readFileSync('docs/side-by-side.html', 'utf8')).toBe(page());
  });

  it('opens offline: no script, stylesheet, image or font to fetch', () => {
    expect(page()).not.toMatch(/<script|<link|<img|src=|url\(|@import/i);
    expect(page()).not.toMatch(/href="(?!#)/);
  });

  it('shades every twin row of the three pairs, and escapes the code', () => {
    const total = real.reduce((n, r) => n + r.twin.pairs.length, 0);
    expect(page().match(/<tr class="twin /g)).toHaveLength(total);
    expect(page()).toContain('Map&lt;string, number&gt;');
    expect(page()).not.toContain('Map<string, number>');
  });
});
