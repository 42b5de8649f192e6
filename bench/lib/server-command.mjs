/**
 * The bench starts ccapi the way the README does: `npm start`'s script is `node <flags> dist/cli.js serve`,
 * and the same node flags (e.g. the young-generation size) are applied to every ccapi server the bench
 * spawns, so what is measured is what users run. The flags are read from package.json, not repeated here.
 */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const start = pkg.scripts?.start ?? '';
const match = /^node\s+((?:--\S+\s+)*)dist\/cli\.js\s+serve\b/.exec(start.trim());
if (!match) throw new Error(`bench: cannot read the node flags from package.json's start script (${JSON.stringify(start)})`);

/** Node flags of `npm start`, e.g. ['--max-semi-space-size=4']. */
export const SERVER_NODE_FLAGS = match[1].trim() ? match[1].trim().split(/\s+/) : [];
