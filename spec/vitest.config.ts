// vitest: specs live in spec/; the CLI's tests run the built dist/, so the build comes first.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['spec/**/*.spec.ts'],
    globalSetup: ['spec/support/build.ts'],
    testTimeout: 30_000,
  },
});
