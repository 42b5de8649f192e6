/**
 * Admin routes under /_ccapi: health, fault rules, and a request's timeline. They answer plain JSON
 * (not the AWS envelope) because people and scripts read them, not SDKs.
 */
import type { IncomingMessage } from 'node:http';
import type { Engine } from '../engine/engine.js';
import { FaultConfigError, parseFaultConfig, type FaultInjector } from '../engine/faults.js';
import type { PersistedFaultRules } from '../engine/fault-rules.js';
import type { Store } from '../store/store.js';
import type { ScopePreparer } from '../engine/default-vpc.js';
import { handleReset } from './reset.js';
import { timelineEvent } from '../domain/timeline.js';

export interface AdminReply {
  status: number;
  body: unknown;
}

export interface AdminDeps {
  engine: Engine;
  faults: FaultInjector;
  /** Where PUT and DELETE /_ccapi/faults save the rules, for every node (fault-rules.ts). */
  faultRules: PersistedFaultRules;
  store: Store;
  /** Told about a reset, so the scopes it emptied get their default VPC again on next use (engine/default-vpc.ts). */
  scopes?: ScopePreparer;
  health: () => Record<string, unknown>;
}

const json = (status: number, body: unknown): AdminReply => ({ status, body });
const problem = (status: number, error: string, message: string) => json(status, { error, message });

/**
 * Answers an admin route. `trusted`: open mode, or strict mode with the admin token; only then does health
 * say more than that the server is up (which database, which catalogue), since in strict mode anyone who
 * can reach the port may ask it.
 */
export async function handleAdmin(req: IncomingMessage, path: string, body: string, deps: AdminDeps, trusted: boolean): Promise<AdminReply> {
  const method = req.method ?? 'GET';
  if (path === '/_ccapi/health') {
    if (method !== 'GET') return problem(405, 'MethodNotAllowed', 'Use GET');
    return json(200, trusted ? { status: 'ok', ...deps.health() } : { status: 'ok' });
  }
  if (path === '/_ccapi/faults') {
    switch (method) {
      case 'GET':
        return json(200, deps.faults.describe());
      case 'PUT': {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          return problem(400, 'InvalidFaultConfiguration', 'The body is not valid JSON');
        }
        try {
          await deps.faultRules.set(parseFaultConfig(parsed));
        } catch (error) {
          if (error instanceof FaultConfigError) return problem(400, 'InvalidFaultConfiguration', error.message);
          throw error;
        }
        return json(200, deps.faults.describe());
      }
      case 'DELETE':
        await deps.faultRules.clear();
        return json(200, deps.faults.describe());
      default:
        return problem(405, 'MethodNotAllowed', 'Use GET, PUT or DELETE');
    }
  }
  if (path === '/_ccapi/reset') return handleReset(method, body, deps.store, deps.scopes);
  const events = /^\/_ccapi\/requests\/([^/]+)\/events$/.exec(path);
  if (events) {
    if (method !== 'GET') return problem(405, 'MethodNotAllowed', 'Use GET');
    let token: string;
    try {
      token = decodeURIComponent(events[1]!);
    } catch {
      return problem(400, 'InvalidRequestToken', 'The request token in the path is not valid percent-encoding');
    }
    const history = await deps.engine.history(token);
    if (history.length === 0) return problem(404, 'RequestTokenNotFound', `No request with token ${token}`);
    return json(200, {
      RequestToken: token,
      Events: history.map(timelineEvent),
    });
  }
  return problem(404, 'NotFound', `No admin route ${method} ${path}`);
}
