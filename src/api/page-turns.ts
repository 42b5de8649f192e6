/**
 * Page builds take turns: at most one ListResources or ListResourceRequests page starts per event-loop turn.
 * Building a 1 MiB page is synchronous work (a SQLite read, JSON parsing and rendering); 32 of them arriving
 * together would otherwise run back to back while every other call, however cheap, waits for all of them.
 * Here each waits for its own turn (setImmediate), and the poll phase in between answers the other calls. A
 * page whose build awaits I/O (PostgreSQL, a custom handler) does not hold the turn: the next one starts anyway.
 */
const waiting: (() => void)[] = [];
let pumping = false;

function pump(): void {
  const start = waiting.shift();
  if (!start) {
    pumping = false;
    return;
  }
  start();
  // Immediates queued while immediates run wait for the next loop iteration, after its poll phase.
  setImmediate(pump);
}

/** Resolves when this page may start building. */
export function pageTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  });
}
