// Extraction, a seam around the fetcher: each page fetched with its body kept is handed to an
// extractor (a callback, as colly's OnHTML and Crawlee's request handler, or a map of CSS
// selectors) with its DOM built on first use, once; what it answers is the page's `data`, and
// the body and the DOM are let go before the page is reported.
import { InputError } from '../errors.js';
import { parseDocument } from '../fetchers/dom.js';
import type { Fetcher, Page } from '../types.js';

/** A page as an extractor sees it. */
export interface PageView {
  /** The URL fetched. */
  readonly url: string;
  readonly page: Page;
  /** The decoded HTML (the fetcher's keepBody). */
  readonly html: string;
  /** The page's linkedom document, parsed on first access and the same object after. */
  readonly document: Document;
  /** The response headers, names lower-cased, when the fetcher keeps them (HttpOptions.keepHeaders). */
  readonly headers: Readonly<Record<string, string | string[]>> | undefined;
}

/** What to take from a page: its `data`, or undefined for none. */
export type Extractor = (view: PageView) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;

/**
 * NAME -> `SELECTOR` (the text of each match, spaces collapsed) or `SELECTOR@attr` (each match's
 * attribute, as written, an element without it left out). Every match, in document order: the
 * page's `data.NAME` is a list, empty when nothing matched.
 */
export type Selectors = Record<string, string>;

/** The extractor of a Selectors map; a selector that does not parse is bad input, named. */
export function selectorsExtractor(selectors: Selectors, flag = 'extract'): Extractor {
  const probe = parseDocument('<html><body></body></html>');
  const rules = Object.entries(selectors).map(([name, text]) => {
    const at = /^(.*\S)\s*@([A-Za-z_:][\w:.-]*)$/.exec(text);
    const [selector, attribute] = at === null ? [text, undefined] : [at[1]!, at[2]!];
    try {
      probe.querySelectorAll(selector);
    } catch (error) {
      throw new InputError(`--${flag} ${name}=${text}: not a CSS selector: ${(error as Error).message}`);
    }
    return { name, selector, attribute };
  });
  return ({ document }) => {
    const data: Record<string, string[]> = {};
    for (const { name, selector, attribute } of rules) {
      const values: string[] = [];
      document.querySelectorAll(selector).forEach((element) => {
        const value = attribute === undefined ? (element.textContent ?? '').replace(/\s+/g, ' ').trim() : element.getAttribute(attribute);
        if (value !== null) values.push(value);
      });
      data[name] = values;
    }
    return data;
  };
}

/**
 * Runs `extract` on each page that comes with its body (`page.html`), setting `page.data` to its
 * answer, then drops the body: the report holds neither it nor the DOM. Pages without a body
 * (not HTML, redirects, bodies not kept) pass untouched.
 */
export function extracting(fetcher: Fetcher, extract: Extractor): Fetcher {
  return {
    async fetch(url, signal) {
      const page = await fetcher.fetch(url, signal);
      const html = page.html;
      if (html === undefined) return page;
      let document: Document | undefined;
      const view: PageView = {
        url,
        page,
        html,
        get document() {
          return (document ??= parseDocument(html));
        },
        headers: page.headers,
      };
      try {
        const data = await extract(view);
        if (data !== undefined) page.data = data;
      } finally {
        delete page.html;
      }
      return page;
    },
  };
}
