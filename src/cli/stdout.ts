/**
 * Output to a reader that may go away: `ccapi types ls | head` closes the pipe after ten lines, and the next
 * write fails with EPIPE. Like a Unix tool killed by SIGPIPE, the command then ends at once, quietly, with
 * status 0 (the reader's choice, not our failure); without this, Node reports an unhandled 'error' event
 * with a stack trace. `ccapi serve` keeps serving instead: its stdout carries one start-up line, and a
 * server must not stop because whoever read that line has left.
 */
let keepRunning = false;

/** Installs the handler; call once, before any command writes. */
export function endQuietlyWhenReaderLeaves(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (!keepRunning) process.exit(0);
  });
}

/** For long-running commands (serve): a closed stdout is ignored rather than ending the process. */
export function keepRunningWhenReaderLeaves(): void {
  keepRunning = true;
}

/** Writes to stdout; after the reader left, nothing (the handler above is ending the process). */
export function writeOut(text: string): void {
  if (process.stdout.destroyed) return;
  process.stdout.write(text);
}
