// chancrawl/dom: a fetched page's DOM (linkedom), for extraction; see documentOf.
export { documentOf, parseDocument } from './fetchers/dom.js';
