/** `--references strict|warn|off`: how a create or update that names a missing resource is treated. */
import type { ReferenceEdge } from './check.js';
import type { TypeCatalogue } from '../../registry/types.js';

/**
 * strict: the request FAILS as the service's handler would (AWS's behaviour, the default).
 * warn: it is accepted; each broken reference is recorded in the request's timeline and the log.
 * off: references are not looked at (no cost).
 */
export const REFERENCE_MODES = ['strict', 'warn', 'off'] as const;
export type ReferenceMode = (typeof REFERENCE_MODES)[number];
export const DEFAULT_REFERENCE_MODE: ReferenceMode = 'strict';

export interface ReferencePolicy {
  mode: ReferenceMode;
  /** The type's referencing properties (registry/relationships.ts). */
  relationshipsOf(typeName: string): readonly ReferenceEdge[];
  /** Whether ccapi can create resources of a type (it is in the catalogue); references to others are not checked. */
  canCreate(typeName: string): boolean;
}

/** The policy for a mode: relationships from registry data, and "can create" meaning "in the catalogue". */
export function referencePolicy(mode: ReferenceMode, catalogue: TypeCatalogue, relationshipsOf: (typeName: string) => readonly ReferenceEdge[]): ReferencePolicy {
  return { mode, relationshipsOf: mode === 'off' ? () => [] : relationshipsOf, canCreate: (typeName) => catalogue.has(typeName) };
}
