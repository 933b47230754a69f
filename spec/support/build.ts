// vitest global setup: build dist/ (a no-op when it is up to date) for the tests that run the CLI.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('make', ['-s', 'build'], { stdio: 'inherit' });
}
