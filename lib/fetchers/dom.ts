// The DOM of a fetched page, for whoever asks for one (extraction): linkedom, built on first use.
import { DOMParser } from 'linkedom';
import type { Page } from '../types.js';

/** linkedom's parser, reused: parseHTML would build a window around each page, doubling the parse's cost. */
const parser = new DOMParser();
const documents = new WeakMap<Page, Document>();

/** A linkedom document of `html`. linkedom's parse costs about 8 us per element and grows with the square of the nesting depth. */
export function parseDocument(html: string): Document {
  return parser.parseFromString(html, 'text/html') as unknown as Document;
}

/**
 * The linkedom document of a page fetched with `keepBody` (HttpFetcher), parsed from `page.html`
 * on the first call and the same object on every later one (held as long as the page is);
 * undefined for a page without a kept body (not HTML, or fetched without keepBody). Ask only for
 * the pages you read.
 */
export function documentOf(page: Page): Document | undefined {
  if (page.html === undefined) return undefined;
  let document = documents.get(page);
  if (document === undefined) {
    document = parseDocument(page.html);
    documents.set(page, document);
  }
  return document;
}
