// Go's `err.Error()`, for whatever JavaScript throws.

/** One line saying what went wrong, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
