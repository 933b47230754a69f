// HTML escaping, for every page and picture chancrawl writes (served pages, the timeline, the side-by-side view).

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** `text` safe inside an element or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => entities[c]!);
}
