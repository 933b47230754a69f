// chancrawl/dom: a fetched page's DOM (linkedom), for extraction; see documentOf.
export { documentOf } from './fetchers/dom.js';
