/**
 * POST /_ccapi/reset: forgets requests and emulated resources, of every tenant or of one account and/or
 * region, so test suites can start each test from nothing (`ccapi reset`). moto's `POST /moto-api/reset`
 * is the model; ours can be scoped because one server is often shared by several suites, each with its
 * own account. Fault rules stay (they are configuration, not state: `ccapi faults clear` removes them).
 *
 * Requests in flight are forgotten like the others. A handler step already running on one finishes, then
 * fails its compare-and-set because the row is gone: its resource writes, which commit only with that
 * transition, are dropped, and the worker moves on (store.ts, resetState).
 */
import type { Store, TenantFilter } from '../store/store.js';
import type { ScopePreparer } from '../engine/default-vpc.js';

export interface ResetReply {
  status: number;
  body: unknown;
}

const problem = (status: number, error: string, message: string): ResetReply => ({ status, body: { error, message } });

/** Reads `{"accountId"?: string, "region"?: string}`; an empty body means every tenant. */
function parseTenant(body: string): TenantFilter | string {
  if (body.trim() === '') return {};
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return 'The body is not valid JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'The body must be a JSON object: {"accountId"?: string, "region"?: string}';
  const tenant: TenantFilter = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key !== 'accountId' && key !== 'region') return `Unknown field "${key}" (expected "accountId" and "region")`;
    if (typeof value !== 'string' || value === '') return `${key} must be a non-empty string`;
    tenant[key] = value;
  }
  return tenant;
}

export async function handleReset(method: string, body: string, store: Store, scopes?: ScopePreparer): Promise<ResetReply> {
  if (method !== 'POST') return problem(405, 'MethodNotAllowed', 'Use POST');
  const tenant = parseTenant(body);
  if (typeof tenant === 'string') return problem(400, 'InvalidResetRequest', tenant);
  const forgotten = await store.resetState(tenant);
  // The reset also forgot the default VPC's set-up marker: this node sets the default VPC up again on the scope's
  // next call, as a fresh account has one. (Another node of a cluster does so after its restart.)
  scopes?.forget(tenant);
  return { status: 200, body: { ...tenant, forgotten } };
}
