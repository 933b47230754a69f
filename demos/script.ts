// What every demo does when run as a program: print its narrative, and fail loudly if it breaks.
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.js';
import { isMainModule } from '../lib/main-module.js';

/** Runs `main` when this module is the program (`node dist/demos/NAME.js`), not when imported by a test. */
export function runAsScript(meta: ImportMeta, main: () => Promise<void>): void {
  if (!isMainModule(meta)) return;
  main().catch((error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}

/** One line of a demo's narrative. */
export function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** The closing sentences every demo ends with: what it showed, with its own counts. */
export function conclude(...sentences: string[]): void {
  say();
  say(`What this showed: ${sentences.filter(Boolean).join(' ')}`);
}

/** The project's root directory, found from demos/*.ts (under vitest) and from dist/demos/*.js (when built). */
export const projectRoot = packageRoot;

/** A file in fixtures/. */
export function fixturePath(name: string): string {
  return join(projectRoot, 'fixtures', name);
}
