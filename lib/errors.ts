// Bad input ends a run with one line that says what is wrong and where, and exit code 2.
import type { z } from 'zod';

/** An error in what the user gave us (a flag, a file, a URL): shown as its message alone, exit 2. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Output that cannot be written (a full disk, a closed pipe): one line naming the output and the error, exit 3. */
export class OutputError extends Error {
  override name = 'OutputError';
  constructor(
    readonly output: string,
    readonly code: string | undefined,
    why: string,
  ) {
    super(`${output}: cannot write: ${why}`);
  }
}

/** A crawl shared through Redis that cannot go on (Redis lost its keys): one line, exit 4. */
export class CrawlLostError extends Error {
  override name = 'CrawlLostError';
}

/** A zod issue as one phrase: `pages["http://a/"].urls[1]: expected string, received number`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path
    .map((key, i) =>
      typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `${i ? '.' : ''}${String(key)}` : `[${JSON.stringify(String(key))}]`,
    )
    .join('');
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** Where `offset` falls in `text`, as line:column (1-based), for JSON syntax errors. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return `${line}:${offset - lineStart + 1}`;
}
