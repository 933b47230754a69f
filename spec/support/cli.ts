// The built chancrawl command, run as a user runs it, without blocking the test process (so a site
// the test serves can answer it).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const cliPath = 'dist/lib/cli/main.js';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `chancrawl ...args`; `env` is added to this process's environment. */
export async function cli(...args: string[]): Promise<Run> {
  return cliWith({}, ...args);
}

export async function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliPath, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, ...env },
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
