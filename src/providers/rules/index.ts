/**
 * The service rules ccapi enforces at the handler step (issue #15 parts 3 and 4): deletes the service refuses,
 * and the EC2 networking rules. The generic provider calls `refuseDelete` and `checkCreate`; the rules are data
 * (delete-refusals.ts, create-rules.ts) with their sources.
 */
import { CREATE_RULES } from './create-rules.js';
import { DELETE_REFUSALS } from './delete-refusals.js';

export { refuseDelete } from './refuse-delete.js';
export { checkCreate } from './check-create.js';
export type { ResourceLookup, RuleContext } from './lookup.js';

/** Every (type, path) the rules look resources up by: each must be in the store's index (indexedPaths). */
export function queriedPaths(): { type: string; path: string }[] {
  const out: { type: string; path: string }[] = [];
  for (const refusal of DELETE_REFUSALS) for (const d of refusal.blockedBy ?? []) out.push({ type: d.type, path: d.path });
  for (const rule of CREATE_RULES) {
    if (rule.kind === 'cidrWithin' && rule.associations) out.push({ type: rule.associations.type, path: rule.associations.path });
    if (rule.kind === 'cidrDisjoint') out.push({ type: rule.type, path: rule.siblingsBy });
    if (rule.kind === 'unique') out.push({ type: rule.type, path: rule.path });
  }
  return out;
}
