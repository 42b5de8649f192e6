import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { storeConformance } from './store-suite.js';

storeConformance('SQLite (:memory:)', async () => new SqliteStore(':memory:'));
