// The crawl timeline: each fetch as a bar from its start to its end, on lanes, drawn as SVG.
import { scaleLinear } from 'd3-scale';
import type { Skipped } from '../types.js';
import { escapeHtml } from '../html.js';

/** One fetch placed on a lane. Times are milliseconds on performance.now()'s clock, as in the results. */
export interface Bar {
  url: string;
  kind: 'found' | 'failed';
  depth: number;
  start: number;
  end: number;
  /** 0-based; no two bars on one lane overlap in time. */
  lane: number;
}

/** A fetch as a timeline needs it; found and failed results are ones. */
export type Fetch = Omit<Bar, 'lane'>;

/**
 * The fetches among `results` (skipped ones drop out), each on the lowest lane that is free when it
 * starts. Taking them in order of start makes this the fewest lanes possible: as many as there were
 * fetches in flight at once.
 */
export function lanes(results: Iterable<Fetch | Skipped>): Bar[] {
  const fetches = [...results].filter((r): r is Fetch => r.kind !== 'skipped').sort((a, b) => a.start - b.start || a.end - b.end);
  const laneEnds: number[] = [];
  return fetches.map(({ url, kind, depth, start, end }) => {
    let lane = laneEnds.findIndex((busyUntil) => busyUntil <= start);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = end;
    return { url, kind, depth, start, end, lane };
  });
}

export interface TimelineOptions {
  /** The heading drawn above the bars. */
  title?: string;
  /** Time zero on performance.now()'s clock, e.g. when the crawl began. Default: the first start. */
  t0?: number;
  /** Milliseconds the x axis spans from t0. Give several timelines one span to draw them on one scale. Default: to the last end. */
  span?: number;
  /** Width of the picture in pixels. Default: 960. */
  width?: number;
}

/** Found bars take their depth's colour (deeper is darker); the last colour stands for that depth and beyond. */
const depthColours = ['#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];
const failedColour = '#d62728';
const margin = { left: 64, right: 24, top: 58, bottom: 44 };

/** The timeline as a standalone SVG document. */
export function timelineSvg(bars: readonly Bar[], options: TimelineOptions = {}): string {
  const width = options.width ?? 960;
  const t0 = options.t0 ?? bars.reduce((t, b) => Math.min(t, b.start), bars[0]?.start ?? 0);
  const lastEnd = bars.reduce((t, b) => Math.max(t, b.end - t0), 0);
  const span = Math.max(options.span ?? lastEnd, 1);
  const lanesUsed = bars.reduce((n, b) => Math.max(n, b.lane + 1), 0);
  const laneCount = Math.max(1, lanesUsed);
  // Many lanes get thinner, so a wide crawl still fits on a page.
  const laneHeight = Math.max(3, Math.min(18, Math.floor(640 / laneCount)));
  const barHeight = Math.max(2, laneHeight - (laneHeight > 8 ? 4 : 1));
  const plotHeight = laneCount * laneHeight;
  const height = margin.top + plotHeight + margin.bottom;
  const x = scaleLinear()
    .domain([0, span])
    .range([margin.left, width - margin.right])
    .nice();
  const ticks = x.ticks(10);
  const tickLabel = x.tickFormat(10);
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">`,
  );
  out.push(
    `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${failedColour}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  const failed = bars.filter((b) => b.kind === 'failed').length;
  const summary = `${bars.length} fetch${bars.length === 1 ? '' : 'es'}, ${failed} failed, ${lanesUsed} lane${lanesUsed === 1 ? '' : 's'} (most in flight at once), ${duration(lastEnd)}`;
  out.push(`<text class="title" x="${margin.left}" y="18" font-size="14" font-weight="bold">${escapeHtml(options.title ?? 'crawl timeline')}</text>`);
  out.push(`<text class="summary" x="${margin.left}" y="34" fill="#444">${escapeHtml(summary)}</text>`);
  out.push(
    legend(
      width - margin.right,
      18,
      bars.reduce((d, b) => Math.max(d, b.depth), 0),
      failed > 0,
    ),
  );

  // Lane stripes and labels.
  for (let lane = 0; lane < laneCount; lane++) {
    const y = margin.top + lane * laneHeight;
    if (lane % 2 === 1) out.push(`<rect x="${margin.left}" y="${y}" width="${width - margin.left - margin.right}" height="${laneHeight}" fill="#f4f4f4"/>`);
    if (laneHeight >= 10 || lane % Math.ceil(10 / laneHeight) === 0)
      out.push(`<text x="${margin.left - 6}" y="${y + laneHeight / 2 + 4}" text-anchor="end" fill="#666">${lane + 1}</text>`);
  }
  out.push(
    `<text x="14" y="${margin.top + plotHeight / 2}" text-anchor="middle" fill="#444" transform="rotate(-90 14 ${margin.top + plotHeight / 2})">lane</text>`,
  );

  // The time axis: gridlines and labels from d3's ticks.
  const axisY = margin.top + plotHeight;
  out.push('<g class="axis">');
  for (const t of ticks) {
    const tx = round(x(t));
    out.push(`<line x1="${tx}" y1="${margin.top}" x2="${tx}" y2="${axisY + 4}" stroke="#ddd"/>`);
    out.push(`<text x="${tx}" y="${axisY + 16}" text-anchor="middle" fill="#444">${escapeHtml(tickLabel(t))}</text>`);
  }
  out.push(`<line x1="${margin.left}" y1="${axisY}" x2="${width - margin.right}" y2="${axisY}" stroke="#888"/>`);
  out.push(
    `<text x="${(margin.left + width - margin.right) / 2}" y="${axisY + 34}" text-anchor="middle" fill="#444">milliseconds since the crawl began</text>`,
  );
  out.push('</g>');

  out.push('<g class="fetches">');
  for (const b of bars) {
    const start = b.start - t0;
    const end = b.end - t0;
    const bx = round(x(start));
    const bw = Math.max(1, round(x(end) - x(start))); // an instant fetch still shows
    const by = margin.top + b.lane * laneHeight + (laneHeight - barHeight) / 2;
    const fill = b.kind === 'failed' ? 'url(#hatch)' : depthColours[Math.min(b.depth, depthColours.length - 1)]!;
    const stroke = ' stroke="#fff"'; // back-to-back bars on a lane stay apart
    const tip = `${b.kind === 'failed' ? 'failed' : 'found'}: ${b.url} (depth ${b.depth}), ${tenth(start)}–${tenth(end)} ms`;
    out.push(
      `<rect class="fetch ${b.kind}" data-url="${escapeHtml(b.url)}" data-lane="${b.lane}" data-depth="${b.depth}" data-start="${fmt(start)}" data-end="${fmt(end)}" x="${bx}" y="${by}" width="${bw}" height="${barHeight}" fill="${fill}"${stroke}><title>${escapeHtml(tip)}</title></rect>`,
    );
    const name = shortName(b.url);
    if (barHeight >= 10 && bw > name.length * 6.5 + 6) {
      out.push(
        `<text x="${bx + 3}" y="${by + barHeight - 3}" font-size="9.5" fill="${b.kind === 'failed' || b.depth >= 2 ? '#fff' : '#000'}" pointer-events="none">${escapeHtml(name)}</text>`,
      );
    }
  }
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Swatches for each depth present and for failed fetches, right-aligned at (right, y). */
function legend(right: number, y: number, maxDepth: number, anyFailed: boolean): string {
  const items: { label: string; fill: string }[] = [];
  for (let d = 0; d <= Math.min(maxDepth, depthColours.length - 1); d++) {
    items.push({ label: d === depthColours.length - 1 && maxDepth > d ? `depth ${d}+` : `depth ${d}`, fill: depthColours[d]! });
  }
  items.push({ label: anyFailed ? 'failed' : 'failed (none)', fill: 'url(#hatch)' });
  const widths = items.map((i) => 22 + i.label.length * 6.2);
  let x = right - widths.reduce((a, b) => a + b, 0);
  const parts = ['<g class="legend">'];
  items.forEach((item, i) => {
    parts.push(
      `<rect x="${round(x)}" y="${y - 9}" width="12" height="10" fill="${item.fill}"/><text x="${round(x + 16)}" y="${y}">${escapeHtml(item.label)}</text>`,
    );
    x += widths[i]!;
  });
  parts.push('</g>');
  return parts.join('');
}

/** A URL's path and query, which is what tells the pages of one site apart. */
function shortName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
/** Data attributes keep the results' microseconds; text a reader reads is rounded (tooltips to 0.1 ms). */
const fmt = (ms: number) => String(Math.round(ms * 1000) / 1000);
const tenth = (ms: number) => (Math.round(ms * 10) / 10).toFixed(1);

/** A span as a reader reads it: `3.2 ms`, `413 ms`, `1.68 s` (as the crawl's summary line writes seconds). */
export function duration(ms: number): string {
  if (ms < 10) return `${tenth(ms)} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** One crawl for a page of timelines: its heading and its bars. */
export interface TimelineSection {
  title: string;
  bars: readonly Bar[];
  /** Time zero for these bars (see TimelineOptions.t0). */
  t0: number;
}

/** An HTML page with the timelines stacked on one time scale, so that their lengths compare. */
export function timelinePage(heading: string, intro: string, sections: readonly TimelineSection[], width = 960): string {
  const span = sections.reduce((most, s) => s.bars.reduce((m, b) => Math.max(m, b.end - s.t0), most), 1);
  const parts = sections.map((s) => `<section>\n${timelineSvg(s.bars, { t0: s.t0, span, width, title: s.title })}</section>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(heading)}</title>
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 16px 24px; color: #222; max-width: ${width + 16}px; }
h1 { font-size: 20px; margin: 0 0 6px; }
p { font-size: 13px; margin: 2px 0 4px; color: #444; }
svg { display: block; margin-top: 12px; }
</style>
</head>
<body>
<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(intro)}</p>
${parts.join('\n')}
</body>
</html>
`;
}
