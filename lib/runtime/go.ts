// Go's `go` statement: a task that nobody awaits, whose failure is not lost.

/**
 * `go f()`: starts a task that nobody awaits. Node kills the process on an unhandled rejection, so
 * the task's end is checked here: a task ended by `stop` is fine; any other error is a bug and is
 * rethrown, as a panic in a goroutine ends a Go program.
 */
export function go(task: Promise<unknown>, stop: AbortSignal): void {
  task.catch(endOf(stop));
}

/** The check `go` attaches, one per signal: a large crawl starts a task per link, and a closure each added up. */
function endOf(stop: AbortSignal): (error: unknown) => void {
  let end = ends.get(stop);
  if (end === undefined) {
    end = (error: unknown) => {
      if (!stop.aborted) throw error;
    };
    ends.set(stop, end);
  }
  return end;
}

const ends = new WeakMap<AbortSignal, (error: unknown) => void>();
