/**
 * Runs the pre-provision hooks that apply to a request and reports each one as a HooksProgressEvent entry.
 * Declarative hooks check their conditions; module hooks are called with a time budget, and a hook that
 * throws, hangs or answers nonsense is HOOK_FAILED (its failureMode then decides, as for a non-compliant
 * result). The request proceeds unless a FAIL-mode hook did not succeed.
 */
import { TypeGlob } from '../../lib/glob.js';
import type { Logger } from '../../lib/logger.js';
import { silentLogger } from '../../lib/logger.js';
import type { HookProgressEvent } from '../../domain/progress-event.js';
import { withinBudget } from '../../lib/budget.js';
import { epochSeconds } from '../../lib/clock.js';
import type { OperationType } from '../../domain/vocabulary.js';
import type { HookRequest, HookResult, Model } from '../../providers/author.js';
import { brokenCondition } from './conditions.js';
import type { HookDefinition } from './definitions.js';

export const HOOK_TYPE_VERSION_ID = '00000001';
/** Module hooks answer within this, like a handler step; CloudFormation gives Lambda hooks 30 s. */
export const DEFAULT_HOOK_BUDGET_MS = 30_000;

export interface HookTarget {
  typeName: string;
  operation: OperationType;
  accountId: string;
  region: string;
  partition: string;
  requestToken: string;
  /** What the hook judges: CREATE/UPDATE the desired model, DELETE the current one. */
  targetModel?: Model;
  previousModel?: Model;
}

export interface HooksVerdict {
  progress: HookProgressEvent[];
  /** FAIL-mode hooks that did not succeed: the request must fail. */
  blocking: HookProgressEvent[];
}

export class HookRunner {
  private readonly targets: { hook: HookDefinition; patterns: TypeGlob[] }[];

  constructor(
    hooks: readonly HookDefinition[],
    private readonly budgetMs = DEFAULT_HOOK_BUDGET_MS,
    private readonly log: Logger = silentLogger,
  ) {
    this.targets = hooks.map((hook) => ({ hook, patterns: hook.targets.map((glob) => new TypeGlob(glob)) }));
  }

  get size(): number {
    return this.targets.length;
  }

  /** The hooks that apply to an operation on a type, in file order. */
  matching(typeName: string, operation: OperationType): HookDefinition[] {
    return this.targets.filter(({ hook, patterns }) => hook.operations.includes(operation) && patterns.some((p) => p.matches(typeName))).map(({ hook }) => hook);
  }

  /** The entries shown while the hooks have not answered yet. */
  pending(hooks: readonly HookDefinition[], scope: { accountId: string; region: string; partition: string }, now: number): HookProgressEvent[] {
    return hooks.map((hook) => this.entry(hook, scope, 'HOOK_IN_PROGRESS', now, 'Hook invocation is in progress'));
  }

  async run(hooks: readonly HookDefinition[], target: HookTarget, now: () => number): Promise<HooksVerdict> {
    const progress: HookProgressEvent[] = [];
    for (const hook of hooks) {
      const { status, message } = await this.invoke(hook, target);
      progress.push(this.entry(hook, target, status, now(), message));
    }
    return { progress, blocking: progress.filter((p) => p.FailureMode === 'FAIL' && p.HookStatus !== 'HOOK_COMPLETE_SUCCEEDED') };
  }

  private async invoke(hook: HookDefinition, target: HookTarget): Promise<{ status: HookProgressEvent['HookStatus']; message: string }> {
    if (hook.conditions) {
      const broken = brokenCondition(hook.conditions, target.targetModel ?? {});
      return broken === undefined
        ? { status: 'HOOK_COMPLETE_SUCCEEDED', message: 'Hook succeeded' }
        : { status: 'HOOK_COMPLETE_FAILED', message: hook.message ?? broken };
    }
    const request: HookRequest = {
      hookTypeName: hook.typeName,
      typeName: target.typeName,
      operation: target.operation,
      awsAccountId: target.accountId,
      region: target.region,
      clientRequestToken: target.requestToken,
    };
    if (target.targetModel !== undefined) request.desiredResourceState = structuredClone(target.targetModel);
    if (target.previousModel !== undefined) request.previousResourceState = structuredClone(target.previousModel);
    if (hook.configuration !== undefined) request.hookConfiguration = structuredClone(hook.configuration);
    const log = this.log.child({ hookTypeName: hook.typeName, requestToken: target.requestToken });
    let result: HookResult;
    try {
      result = await withinBudget(this.budgetMs, async (signal) => hook.run!(request, { signal, log }));
    } catch (error) {
      log.error({ err: error, module: hook.module }, 'hook failed');
      return { status: 'HOOK_FAILED', message: `Hook failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (typeof result !== 'object' || result === null || (result.status !== 'SUCCESS' && result.status !== 'FAILED')) {
      log.error({ result, module: hook.module }, 'hook returned something other than {status: "SUCCESS" | "FAILED"}');
      return { status: 'HOOK_FAILED', message: 'Hook failed: it returned something other than {status: "SUCCESS" | "FAILED", message?}' };
    }
    const message = typeof result.message === 'string' && result.message ? result.message : result.status === 'SUCCESS' ? 'Hook succeeded' : 'Hook failed';
    return { status: result.status === 'SUCCESS' ? 'HOOK_COMPLETE_SUCCEEDED' : 'HOOK_COMPLETE_FAILED', message };
  }

  private entry(hook: HookDefinition, scope: { accountId: string; region: string; partition: string }, status: HookProgressEvent['HookStatus'], now: number, message: string): HookProgressEvent {
    return {
      HookTypeName: hook.typeName,
      HookTypeVersionId: HOOK_TYPE_VERSION_ID,
      HookTypeArn: `arn:${scope.partition}:cloudformation:${scope.region}:${scope.accountId}:type/hook/${hook.typeName.replace(/::/g, '-')}`,
      InvocationPoint: 'PRE_PROVISION',
      HookStatus: status,
      HookEventTime: epochSeconds(now),
      HookStatusMessage: message,
      FailureMode: hook.failureMode,
    };
  }
}

/** The StatusMessage of a request that hooks stopped (ErrorCode InvalidRequest; see docs/custom-types.md). */
export function blockedMessage(blocking: readonly HookProgressEvent[]): string {
  const names = blocking.map((h) => h.HookTypeName).join(', ');
  const reasons = blocking.map((h) => `${h.HookTypeName}: ${h.HookStatusMessage ?? h.HookStatus}`).join('; ');
  return `The following hook(s) failed: [${names}]. ${reasons}`;
}
