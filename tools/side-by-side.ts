#!/usr/bin/env node
// A TypeScript design beside its Go twin: two aligned columns for a terminal, or one static HTML
// page for all three. The pairing comes from twins.ts; a design that has drifted from its twin is
// reported, and no view is printed for it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { variants, type Variant } from '../lib/crawl.js';
import { InputError } from '../lib/errors.js';
import { departureLines, pairLines, readTwin, twins, type Departure, type Twin } from './twins.js';
import { escapeHtml } from '../lib/html.js';
import { isMainModule } from '../lib/main-module.js';

/** One row of the view: a TS line, a Go line, or both; `pair` is set when the two are twins. */
export interface Row {
  ts?: { n: number; text: string };
  go?: { n: number; text: string };
  pair?: number;
}

/**
 * Lays the two files out in rows. Twin lines share a row; between two twin rows, the lines that
 * have no twin are set beside each other in file order, and the shorter side is padded.
 */
export function alignRows(twin: Twin, tsText: string, goText: string): Row[] {
  const { lines, problems } = pairLines(twin, tsText, goText);
  problems.push(...departureLines(twin, tsText).problems);
  if (problems.length > 0) throw new DriftError(twin, problems);
  const ts = splitLines(tsText);
  const go = splitLines(goText).map((l) => l.replace(/\t/g, '    '));
  const rows: Row[] = [];
  let t = 0;
  let g = 0;
  for (const anchor of [...lines, { ts: ts.length, go: go.length, pair: undefined }]) {
    for (let k = 0; t + k < anchor.ts || g + k < anchor.go; k++) {
      const row: Row = {};
      if (t + k < anchor.ts) row.ts = { n: t + k + 1, text: ts[t + k]! };
      if (g + k < anchor.go) row.go = { n: g + k + 1, text: go[g + k]! };
      rows.push(row);
    }
    if (anchor.pair === undefined) break;
    rows.push({ ts: { n: anchor.ts + 1, text: ts[anchor.ts]! }, go: { n: anchor.go + 1, text: go[anchor.go]! }, pair: anchor.pair });
    t = anchor.ts + 1;
    g = anchor.go + 1;
  }
  return rows;
}

/** A design that no longer matches its twin: the view would pair the wrong lines. */
export class DriftError extends Error {
  constructor(
    readonly twin: Twin,
    readonly problems: string[],
  ) {
    super(`${twin.ts} and ${twin.go} have drifted apart:\n  ${problems.join('\n  ')}`);
    this.name = 'DriftError';
  }
}

/** The departures from the lecture's crawler.go, each with the number of the TS line it is on, in file order. */
export function departuresOf(twin: Twin, rows: Row[]): { n: number; departure: Departure }[] {
  const found = twin.departures.map((departure) => ({ n: rows.find((r) => r.ts?.text.trim().startsWith(departure.at))?.ts?.n ?? 0, departure }));
  return found.sort((a, b) => a.n - b.n);
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The rows as text in two columns of `width` characters in all. Long lines wrap onto extra rows;
 * the gutter shows `=` between twin lines.
 */
export function columns(twin: Twin, rows: Row[], width: number): string {
  const num = String(rows.reduce((m, r) => Math.max(m, r.ts?.n ?? 0, r.go?.n ?? 0), 0)).length;
  const col = Math.max(20, Math.floor((width - 3) / 2) - num - 1);
  const cell = (side: Row['ts'], i: number) => {
    const chunk = side ? wrap(side.text, col)[i] : undefined;
    const n = side && i === 0 ? String(side.n).padStart(num) : ' '.repeat(num);
    return `${n} ${(chunk ?? '').padEnd(col)}`;
  };
  const head = `${' '.repeat(num + 1)}${`TypeScript: ${twin.ts}`.padEnd(col)}   Go: ${twin.go}`;
  const out = [head, '-'.repeat(Math.min(width, 2 * (num + 1 + col) + 3))];
  for (const row of rows) {
    const height = Math.max(wrap(row.ts?.text ?? '', col).length, wrap(row.go?.text ?? '', col).length);
    for (let i = 0; i < height; i++) out.push(`${cell(row.ts, i)} ${row.pair !== undefined && i === 0 ? '=' : '|'} ${cell(row.go, i)}`.trimEnd());
  }
  out.push('', `Where ${twin.ts} departs from the lecture's crawler.go, and why:`);
  for (const { n, departure } of departuresOf(twin, rows)) out.push(...wrap(`  line ${n}: ${departure.what} — ${departure.why}`, width));
  return `${out.join('\n')}\n`;
}

/**
 * A line cut into pieces of at most `width` characters, after a space when one is near the end;
 * continuation pieces are indented under the line's start.
 */
function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const indent = ' '.repeat(Math.min(text.length - text.trimStart().length + 2, Math.floor(width / 2)));
  const pieces: string[] = [];
  let rest = text;
  for (let room = width; rest.length > room; room = width - indent.length) {
    const space = rest.lastIndexOf(' ', room - 1);
    const cut = space > room * 0.6 ? space + 1 : room;
    pieces.push(`${pieces.length ? indent : ''}${rest.slice(0, cut)}`);
    rest = rest.slice(cut);
  }
  pieces.push(`${pieces.length ? indent : ''}${rest}`);
  return pieces;
}

/** One self-contained page (no scripts, fonts or links to fetch) with every design beside its twin. */
export function htmlPage(views: { twin: Twin; rows: Row[] }[]): string {
  const sections = views.map(({ twin, rows }) => {
    const body = rows
      .map((r) => {
        const cls = r.pair === undefined ? '' : ` class="twin p${r.pair % 2}" id="${twin.variant}-${r.pair}"`;
        const td = (side: Row['ts']) =>
          side ? `<td class="n">${side.n}</td><td class="c">${escapeHtml(side.text)}</td>` : '<td class="n"></td><td class="c"></td>';
        return `<tr${cls}>${td(r.ts)}<td class="g">${r.pair === undefined ? '' : '='}</td>${td(r.go)}</tr>`;
      })
      .join('\n');
    const paired = rows.filter((r) => r.pair !== undefined).length;
    const departures = departuresOf(twin, rows)
      .map(({ n, departure }) => `<li>line ${n}: ${escapeHtml(departure.what)} — ${escapeHtml(departure.why)}</li>`)
      .join('\n');
    return `<section id="${twin.variant}">
<h2>${twin.title}</h2>
<p>${paired} twin lines, shaded in pairs; hover a row to pick it out. Unshaded lines have no twin on the other side.</p>
<p>Where ${escapeHtml(twin.ts)} departs from the lecture's crawler.go, and why:</p>
<ul class="departures">
${departures}
</ul>
<table>
<thead><tr><th></th><th>TypeScript: ${escapeHtml(twin.ts)}</th><th></th><th></th><th>Go: ${escapeHtml(twin.go)}</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>chancrawl: the designs beside their Go twins</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; width: 100%; table-layout: fixed; }
th { text-align: left; font-family: system-ui, sans-serif; padding: .3rem; border-bottom: 1px solid #999; }
th:nth-child(1), th:nth-child(4) { width: 2.5rem; } th:nth-child(3) { width: 1.2rem; }
td { vertical-align: top; padding: 0 .3rem; }
td.c { white-space: pre-wrap; overflow-wrap: anywhere; }
td.n { color: #999; text-align: right; user-select: none; }
td.g { color: #777; text-align: center; }
tr.p0 { background: #eef5ff; } tr.p1 { background: #fff6e6; }
tr:hover { background: #ffe28a; } tr.twin:hover td.c { font-weight: 600; }
</style>
</head>
<body>
<h1>The three designs beside their Go twins</h1>
<p>Each TypeScript design (left) next to the Go program in go/ (right) written in the shape of the lecture's crawler.go. Lines on one row are twins. Generated by <code>make docs</code> from tools/twins.ts; do not edit.</p>
<nav>${views.map(({ twin }) => `<a href="#${twin.variant}">${twin.title}</a>`).join('')}</nav>
${sections.join('\n')}
</body>
</html>
`;
}

const usage = `side-by-side: a chancrawl design beside its Go twin

  --variant serial|mutex|channel   print the two files in two aligned columns
  --width N                        columns' total width (default: the terminal's, else 160)
  --html FILE                      write every pair to one static HTML page
`;

export function main(argv: string[]): void {
  let values: { variant?: string; width?: string; html?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { variant: { type: 'string' }, width: { type: 'string' }, html: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    throw new InputError((error instanceof Error ? error.message : String(error)).split('. ')[0]!);
  }
  if (values.help) return void process.stdout.write(usage);
  if (values.html !== undefined) {
    const page = htmlPage(variants.map((v) => ({ twin: twins[v], rows: alignRows(twins[v], ...texts(twins[v])) })));
    mkdirSync(dirname(values.html), { recursive: true });
    writeFileSync(values.html, page);
    return;
  }
  const variant = values.variant ?? 'channel';
  if (!(variants as readonly string[]).includes(variant)) throw new InputError(`--variant: must be one of ${variants.join(', ')} (got "${variant}")`);
  const width = values.width === undefined ? (process.stdout.columns ?? 160) : Number(values.width);
  if (!Number.isInteger(width) || width < 60) throw new InputError(`--width: must be a whole number >= 60 (got "${values.width}")`);
  const twin = twins[variant as Variant];
  process.stdout.write(columns(twin, alignRows(twin, ...texts(twin)), width));
}

function texts(twin: Twin): [string, string] {
  const { tsText, goText } = readTwin(twin);
  return [tsText, goText];
}

if (isMainModule(import.meta)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`side-by-side: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof DriftError) {
      process.stderr.write(`side-by-side: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}
