/**
 * Runs a synchronous call that might never return (a backtracking regex, say) on a worker thread, so a test
 * sees a hang as a failure instead of freezing its own event loop, where no timer could fire.
 */
import { Worker } from 'node:worker_threads';

/**
 * Imports `moduleUrl` on a worker thread and runs `body` there (an async function body with the module as
 * `m`); resolves to what `body` returns (structured-cloneable). Rejects, ending the worker, if it has not
 * answered within `deadlineMs`, a generous bound that only a hang exceeds.
 */
export function runOffThread(moduleUrl: URL, body: string, deadlineMs = 30_000): Promise<unknown> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url).then(async (m) => { ${body} }).then((value) => parentPort.postMessage({ value }), (error) => parentPort.postMessage({ error: String(error?.stack ?? error) }));
  `;
  const worker = new Worker(code, { eval: true, workerData: { url: moduleUrl.href } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the call did not return within ${deadlineMs} ms: it hangs`));
    }, deadlineMs);
    worker.once('message', (reply: { value?: unknown; error?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (reply.error !== undefined) reject(new Error(reply.error));
      else resolve(reply.value);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
