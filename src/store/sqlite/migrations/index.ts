/** The SQLite schema as numbered migrations, applied in order and recorded in PRAGMA user_version. */
import { sql as initial } from './001-initial.js';
import { sql as hooks } from './002-hooks.js';
import { sql as patchDocument } from './003-patch-document.js';
import { sql as scaleIndexes } from './004-scale-indexes.js';
import { sql as faultRules } from './005-fault-rules.js';
import { sql as resourceIndex } from './006-resource-index.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'hooks', sql: hooks },
  { version: 3, name: 'patch-document', sql: patchDocument },
  { version: 4, name: 'scale-indexes', sql: scaleIndexes },
  { version: 5, name: 'fault-rules', sql: faultRules },
  { version: 6, name: 'resource-index', sql: resourceIndex },
];
