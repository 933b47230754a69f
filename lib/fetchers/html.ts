// The streaming link reader: a page's links, <base> and <title> read from its bytes as they
// arrive, on htmlparser2's Parser (the parser linkedom builds its DOM on), without a DOM.
import { Parser } from 'htmlparser2';
import { normalizeUrl, type NormalizeOptions } from './normalize.js';

/** What a page's markup gave: its title and its links, normal http(s) URLs in document order. */
export interface PageLinks {
  title: string | undefined;
  urls: string[];
  /** With `assets`: the links among `urls` that are a page's assets (img, script, link). */
  assets?: string[];
}

/** The <link rel> values that name an asset; rel="next", "index", "canonical" and such name pages. */
const assetRels = /(^|\s)(stylesheet|icon|apple-touch-icon|manifest|preload|modulepreload|prefetch)(\s|$)/i;

/** The bytes read before choosing a charset and deciding whether a typeless answer is HTML. */
export const prescanBytes = 1024;

/**
 * htmlparser2's Parser with no stack of open elements but <title>'s. Its stack is an array it
 * unshifts and shifts at the front, which costs the depth of the nesting per tag: 50,000 nested
 * <div>s took 4.3 s, 200,000 took 131 s. Every tag "void" means each start tag is reported and at
 * once closed, which is all a link reader needs (which element an <a> sits in does not matter).
 */
class FlatParser extends Parser {
  protected override isVoidElement(name: string): boolean {
    return name !== 'title';
  }
}

/**
 * Reads one HTML page as it downloads: `write` each chunk of the body as it comes, then `end` for
 * the page's title and links. Collects the href of every <a> and <area> (attribute names in any
 * case) and the URL of the first <meta http-equiv="refresh"> that names one, wherever it stands
 * (browsers act on one in <body> too; the HTML standard acts on the first), in document order, resolved against the first <base href> (itself against the page's URL; a base that is not
 * http(s), such as javascript: or data:, is ignored, as the HTML standard says) and the text of
 * the first <title>. The bytes are decoded in the charset of `contentType`, else of a <meta
 * charset> or http-equiv in the first 1,024 bytes, else UTF-8. Linear in the page's size whatever
 * its nesting; nothing of the body is held but a chunk and the first 1,024 bytes.
 */
export class LinkReader {
  readonly #url: string;
  readonly #normalize: Omit<NormalizeOptions, 'base'>;
  readonly #contentType: string | undefined;
  readonly #sniff: boolean;
  /** The first bytes, until there are prescanBytes of them (or the body ends). */
  #head: Buffer[] | undefined = [];
  #headBytes = 0;
  #decoder: TextDecoder | undefined;
  #parser: Parser | undefined;
  /** Whether the body is HTML: undecided (undefined) until the head is read when `sniff` is asked. */
  #html: boolean | undefined;
  /** Keeps the decoded text, for `text()`, only when asked. */
  #text: string[] | undefined;
  readonly #hrefs: string[] = [];
  /** With `assets`: <img src>, <script src>, <link href> of an asset rel, by tag in that order. */
  readonly #assets: [string[], string[], string[]] | undefined;
  #base: string | undefined;
  #refreshed = false;
  #title: string[] | undefined;
  #titleDone = false;

  /**
   * `url`: the page's URL after redirects, the base of its links. `sniff`: the answer had no
   * Content-Type, so read it as HTML only if its first bytes look like HTML. `keepText`: also keep
   * the decoded text, for `text()`.
   */
  constructor(
    url: string,
    options: { contentType?: string; normalize?: Omit<NormalizeOptions, 'base'>; sniff?: boolean; keepText?: boolean; assets?: boolean } = {},
  ) {
    this.#url = url;
    this.#normalize = options.normalize ?? {};
    this.#contentType = options.contentType;
    this.#sniff = options.sniff ?? false;
    if (!this.#sniff) this.#html = true;
    if (options.keepText) this.#text = [];
    this.#assets = options.assets ? [[], [], []] : undefined;
  }

  /** False once the head has shown that a typeless answer is not HTML: nothing more will be read from it. */
  get html(): boolean {
    return this.#html !== false;
  }

  /** Feeds the next chunk of the body. */
  write(chunk: Uint8Array): void {
    if (this.#html === false) return;
    if (this.#head !== undefined) {
      this.#head.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.#headBytes += chunk.byteLength;
      if (this.#headBytes >= prescanBytes) this.#flushHead();
      return;
    }
    this.#feed(this.#decoder!.decode(chunk, { stream: true }));
  }

  /** The page's title and links (the ones read so far, when the body was cut short). */
  end(): PageLinks {
    if (this.#head !== undefined) this.#flushHead();
    if (this.#html === false) return { title: undefined, urls: [] };
    this.#feed(this.#decoder!.decode());
    this.#parser!.end();
    const options = { ...this.#normalize, base: this.#base ?? this.#url };
    const urls: string[] = [];
    // A page repeats its hrefs (a table of contents, #fragments of itself): each is resolved once.
    const resolved = new Map<string, string | undefined>();
    for (const href of this.#hrefs) {
      let link = resolved.get(href);
      if (link === undefined && !resolved.has(href)) resolved.set(href, (link = normalizeUrl(href.trim(), options)));
      if (link !== undefined) urls.push(link);
    }
    const title = this.#title?.join('').replace(/\s+/g, ' ').trim();
    if (this.#assets === undefined) return { title: title || undefined, urls };
    const assets = this.#assets.flat().flatMap((src) => normalizeUrl(src.trim(), options) ?? []);
    return { title: title || undefined, urls: [...urls, ...assets], assets };
  }

  /** The decoded body, when `keepText` was asked (after `end`). */
  text(): string | undefined {
    return this.#text?.join('');
  }

  #flushHead(): void {
    const head = Buffer.concat(this.#head!);
    this.#head = undefined;
    if (this.#sniff) this.#html = looksLikeHtml(head);
    if (this.#html === false) return;
    this.#decoder = decoderFor(this.#contentType, head);
    this.#parser = new FlatParser(
      {
        onopentag: (name, attributes) => {
          if (name === 'a' || name === 'area') {
            if (attributes.href !== undefined) this.#hrefs.push(attributes.href);
          } else if (name === 'base') {
            if (this.#base === undefined && attributes.href !== undefined) this.#base = baseOf(attributes.href, this.#url);
          } else if (name === 'meta') {
            if (!this.#refreshed && attributes['http-equiv']?.trim().toLowerCase() === 'refresh' && attributes.content !== undefined) {
              const target = refreshUrl(attributes.content);
              this.#refreshed = target !== undefined;
              if (target) this.#hrefs.push(target);
            }
          } else if (name === 'title' && this.#title === undefined) this.#title = [];
          else if (this.#assets !== undefined) {
            if (name === 'img' && attributes.src !== undefined) this.#assets[0].push(attributes.src);
            else if (name === 'script' && attributes.src !== undefined) this.#assets[1].push(attributes.src);
            else if (name === 'link' && attributes.href !== undefined && assetRels.test(attributes.rel ?? '')) this.#assets[2].push(attributes.href);
          }
        },
        ontext: (text) => {
          if (this.#title !== undefined && !this.#titleDone) this.#title.push(text);
        },
        onclosetag: (name) => {
          if (name === 'title' && this.#title !== undefined) this.#titleDone = true;
        },
      },
      { decodeEntities: true },
    );
    this.#feed(this.#decoder.decode(head, { stream: true }));
  }

  #feed(text: string): void {
    if (text === '') return;
    this.#text?.push(text);
    this.#parser!.write(text);
  }
}

/** The title and links of a whole page at `url` (the streaming reader, given all of it at once). */
export function readLinks(html: string, url: string, normalize: Omit<NormalizeOptions, 'base'> = {}, assets = false): PageLinks {
  const reader = new LinkReader(url, { contentType: 'text/html; charset=utf-8', normalize, assets });
  reader.write(Buffer.from(html, 'utf8'));
  return reader.end();
}

/**
 * The URL a Refresh header or a <meta http-equiv="refresh"> content names, as written, by the HTML
 * standard's declarative refresh steps: `5`, `0;url=x`, `0; URL='x'`, `0, x`. Undefined when the
 * content is not a refresh (no delay); '' when it reloads the page itself, which is no new link.
 */
export function refreshUrl(content: string): string | undefined {
  const m = /^[\t\n\f\r ]*(?:\d+|(?=\.))[\d.]*(.*)$/s.exec(content);
  if (m === null) return undefined;
  let rest = m[1]!;
  if (rest === '') return '';
  if (!/^[\t\n\f\r ;,]/.test(rest)) return undefined;
  rest = rest.replace(/^[\t\n\f\r ]*[;,]?[\t\n\f\r ]*/, '');
  rest = rest.replace(/^url[\t\n\f\r ]*=[\t\n\f\r ]*/i, '');
  const quote = /^["']/.exec(rest)?.[0];
  if (quote !== undefined) {
    rest = rest.slice(1);
    const end = rest.indexOf(quote);
    if (end !== -1) rest = rest.slice(0, end);
  }
  return rest.trim();
}

/** The document's base: the first <base href>, resolved; the page's URL when that is not http(s). */
function baseOf(href: string, url: string): string {
  try {
    const base = new URL(href.trim(), url);
    return base.protocol === 'http:' || base.protocol === 'https:' ? base.href : url;
  } catch {
    return url;
  }
}

/** A stream decoder in the charset of the Content-Type, else of a <meta> in `head`, else UTF-8. */
function decoderFor(contentType: string | undefined, head: Buffer): TextDecoder {
  const meta = () => /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head.subarray(0, prescanBytes).toString('latin1'))?.[1];
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? meta();
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8'); // a label TextDecoder does not know
  }
}

/** HTML by its first bytes, for an answer with no Content-Type (a subset of the WHATWG sniffing rules). */
export function looksLikeHtml(head: Buffer): boolean {
  const text = head
    .subarray(0, prescanBytes)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  return /^\s*<(!doctype\s+html|html|head|body|title|script|iframe|h1|div|font|table|a|style|b|br|p|!--)[\s>]/i.test(text);
}
