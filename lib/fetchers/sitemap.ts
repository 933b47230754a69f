// A sitemap (sitemaps.org): the <loc> of each <url> of a <urlset>, or of each <sitemap> of a
// <sitemapindex>, read with htmlparser2 in XML mode as the body streams in, gzip undone when the
// body starts with gzip's magic bytes (a .xml.gz served as a file, not as a Content-Encoding).
import { Parser } from 'htmlparser2';
import { decompressed } from './decompress.js';

import { sitemapDefaults } from './sitemap-defaults.js';

export { sitemapDefaults };

export interface SitemapOptions {
  /** Take at most this many <loc>s; the rest of the file is not read. Default: 50,000. */
  maxUrls?: number;
  /** Read at most this many bytes, after decompression; the rest is not read. Default: 50 MB. */
  maxBytes?: number;
}

export interface Sitemap {
  /** A <urlset>'s <loc>s are pages; a <sitemapindex>'s are more sitemaps. */
  kind: 'urlset' | 'sitemapindex';
  /** The <loc>s as written, whitespace trimmed, entities decoded, in document order. */
  locs: string[];
  /** Why the file was not read to its end, when it was not. */
  cut?: 'max-urls' | 'max-bytes';
}

/** A body that is not a sitemap. */
export class SitemapError extends Error {
  override name = 'SitemapError';
}

/**
 * Reads one sitemap from its body's chunks. A <loc> counts only as the child of a <url> (or
 * <sitemap>) of the root, so an image extension's <image:loc> is not a page; element names are
 * compared without their namespace prefix. A body whose first character is not `<` is the
 * protocol's text sitemap: a urlset of the lines that are absolute http(s) URLs. Rejects with a
 * SitemapError when the root element is neither <urlset> nor <sitemapindex> (an HTML error page
 * served with 200), or a text body has no URL line, or the body is empty.
 */
export async function readSitemap(body: AsyncIterable<Buffer>, options: SitemapOptions = {}): Promise<Sitemap> {
  const { maxUrls = sitemapDefaults.maxUrls, maxBytes = sitemapDefaults.maxBytes } = options;
  let root: string | undefined;
  const open: string[] = []; // local names of the elements open now, the root first
  const locs: string[] = [];
  let text: string[] | undefined; // inside a <loc> that counts: its text so far
  const parser = new Parser(
    {
      onopentag(name) {
        const local = localName(name);
        root ??= local;
        open.push(local);
        if (local === 'loc' && open.length === 3 && (open[1] === 'url' || open[1] === 'sitemap')) text = [];
      },
      ontext(data) {
        text?.push(data);
      },
      onclosetag() {
        if (text !== undefined && open.length === 3) {
          const loc = text.join('').trim();
          if (loc !== '') locs.push(loc);
          text = undefined;
        }
        open.pop();
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  const decoder = new TextDecoder('utf-8'); // the protocol: sitemaps are UTF-8 (a byte order mark is dropped)
  let kind: 'xml' | 'text' | undefined; // told by the first character that is not a space
  let head = '';
  let line = ''; // a text sitemap's line not yet ended
  const lines = (text: string) => {
    const parts = (line + text).split(/\r\n|\n|\r/);
    line = parts.pop()!;
    for (const l of parts) if (/^https?:\/\//i.test(l.trim())) locs.push(l.trim());
  };
  let bytes = 0;
  let cut: Sitemap['cut'];
  for await (const chunk of gunzipped(body)) {
    const room = maxBytes - bytes;
    bytes += chunk.length;
    let text = decoder.decode(chunk.length > room ? chunk.subarray(0, room) : chunk, { stream: true });
    if (kind === undefined) {
      head += text;
      const first = head.trimStart()[0];
      if (first === undefined) continue;
      [kind, text] = [first === '<' ? 'xml' : 'text', head];
    }
    if (kind === 'xml') parser.write(text);
    else lines(text);
    if (root !== undefined && root !== 'urlset' && root !== 'sitemapindex') break;
    if (locs.length >= maxUrls) cut = 'max-urls';
    else if (chunk.length > room) cut = 'max-bytes';
    if (cut !== undefined) break;
  }
  if (kind === 'text') {
    if (cut === undefined) lines('\n');
    if (locs.length === 0) throw new SitemapError('not a sitemap: neither XML nor lines of http(s) URLs');
    root = 'urlset';
  } else if (cut === undefined) parser.end();
  if (root !== 'urlset' && root !== 'sitemapindex')
    throw new SitemapError(
      root === undefined ? 'not a sitemap: no XML element in it' : `not a sitemap: its root element is <${root}>, not <urlset> or <sitemapindex>`,
    );
  const sitemap: Sitemap = { kind: root, locs: locs.length > maxUrls ? locs.slice(0, maxUrls) : locs };
  if (cut !== undefined) sitemap.cut = cut;
  return sitemap;
}

/** `sm:loc` -> `loc`. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The chunks, gunzipped when the first bytes are gzip's magic 1f 8b (never reading ahead: see decompressed). */
async function* gunzipped(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const source = body[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  for (let next; head.length < 2 && !(next = await source.next()).done;) head = Buffer.concat([head, next.value]);
  const rest = async function* (): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (let next; !(next = await source.next()).done;) yield next.value;
  };
  yield* head[0] === 0x1f && head[1] === 0x8b ? decompressed(rest(), 'gzip') : rest();
}
