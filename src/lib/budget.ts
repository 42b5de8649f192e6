/**
 * One handler step runs within a time budget, so a handler that never answers cannot hold its request (or
 * the worker's drain loop) forever. When the budget runs out the step's signal is aborted and the step
 * counts as failed; whatever the handler does afterwards is ignored (it cannot be stopped from outside).
 * CloudFormation's contract gives create/update/delete 60 s per event; that is the default.
 */
export const DEFAULT_STEP_BUDGET_MS = 60_000;

export class StepBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`Handler did not return within its ${formatBudget(budgetMs)} step budget`);
    this.name = 'StepBudgetExceeded';
  }
}

function formatBudget(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Runs `step` with an abort signal; rejects with StepBudgetExceeded when it has not settled within `budgetMs`. */
export function withinBudget<T>(budgetMs: number, step: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StepBudgetExceeded(budgetMs);
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  let running: Promise<T>;
  try {
    running = step(controller.signal);
  } catch (error) {
    clearTimeout(timer);
    return Promise.reject(error);
  }
  // A step that fails after its budget ran out must not become an unhandled rejection (which ends the process).
  running.catch(() => undefined);
  return Promise.race([running, expired]).finally(() => clearTimeout(timer));
}
