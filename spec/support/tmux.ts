// A real terminal for the CLI: a tmux server of the test's own (its own socket, no user config),
// one pane of a given size running a shell command, its screen read back with capture-pane.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Pane {
  /** The rows on the screen now, as the terminal shows them (a wrapped line is several rows). */
  rows(): string[];
  /** Every line since the start, history included, wrapped rows joined back (capture-pane -J). */
  lines(): string[];
  resize(columns: number, rows: number): void;
  /** Resolves with the command's exit status once it has ended (the command line prints `exit N`). */
  exited(timeoutMs?: number): Promise<number>;
  /** Stops the tmux server by its PID and removes its socket and config. */
  close(): void;
}

/** True when tmux runs (.ci/run installs it). */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts `command` (a sh command line) in a detached pane of `columns` x `rows`. */
export function openPane(command: string, columns: number, rows: number): Pane {
  const dir = mkdtempSync(join(tmpdir(), 'chancrawl-tmux-'));
  const conf = join(dir, 'tmux.conf');
  // A history long enough for a whole report, and no status bar (the pane is the whole window).
  writeFileSync(conf, 'set -g history-limit 100000\nset -g status off\n');
  const socket = join(dir, 'socket');
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-S', socket, '-f', conf, ...args], { encoding: 'utf8', env: { ...process.env, TERM: 'xterm-256color' } });
  tmux('new-session', '-d', '-x', String(columns), '-y', String(rows), `${command}; echo "exit $?"; exec sleep 600`); // the pane stays, so its screen can be read
  const pid = Number(tmux('display-message', '-p', '#{pid}').trim());
  const text = (out: string) => out.replace(/\n$/, '').split('\n');
  return {
    rows: () => text(tmux('capture-pane', '-p')),
    lines: () => text(tmux('capture-pane', '-p', '-J', '-S', '-')),
    resize: (c, r) => void tmux('resize-window', '-x', String(c), '-y', String(r)),
    async exited(timeoutMs = 30_000) {
      for (const t0 = Date.now(); Date.now() - t0 < timeoutMs; await sleep(50)) {
        const status = this.lines()
          .map((l) => /^exit (\d+)$/.exec(l))
          .find((m) => m !== null);
        if (status) return Number(status[1]);
      }
      throw new Error(`the command in tmux did not end within ${timeoutMs} ms: ${this.rows().join('\n')}`);
    },
    close: () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
