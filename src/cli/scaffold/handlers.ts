/** The scaffold's handlers.js: five handlers that keep each resource as a JSON file, commented to teach the contract. */
import type { ScaffoldNames } from './names.js';
import { NAME_PATTERN } from './schema.js';

export function handlersJs(n: ScaffoldNames): string {
  return `/**
 * ${n.typeName}: the handlers of a custom resource type, loaded by \`ccapi serve --types DIR\`.
 *
 * Each ${n.noun} is a JSON file, \`<directory>/<account>/<region>/<Name>.json\`, where \`<directory>\` is the
 * \`directory\` of this type's configuration (\`ccapi serve --type-config FILE\`) and defaults to \`.data\` beside
 * this file. That folder plays the "downstream service" your handlers will call instead: README.md says
 * what to change.
 *
 * The contract (CloudFormation's resource-provider contract, which ccapi drives):
 * - Every handler gets \`(request, context)\` and returns a ProgressEvent \`{status, ...}\`. \`request\` carries
 *   the model (\`desiredResourceState\`), the caller's account and region, the request token and the type
 *   configuration; \`context\` has an AbortSignal (the step's time budget) and a logger.
 * - create, update and delete may answer IN_PROGRESS with a \`callbackContext\` and \`callbackDelaySeconds\`.
 *   ccapi stores both and calls the same handler again after the delay, with that callbackContext and the
 *   returned \`resourceModel\` as the new desiredResourceState. Clients see IN_PROGRESS (with RetryAfter)
 *   until a step answers SUCCESS or FAILED. Never sleep in a handler: a long wait is a chain of steps, and
 *   a restarted server resumes from the last stored one. \`create\` below works in two steps to show it.
 * - A step can run twice: if ccapi stops after a step did its work but before it stored the answer, the
 *   step runs again. Make every step safe to repeat; \`request.clientRequestToken\` is the same on every step
 *   of one request, which is how \`create\` recognizes its own earlier attempt.
 * - read and list answer at once (never IN_PROGRESS).
 * - FAILED carries an \`errorCode\`: NotFound when the resource does not exist (read, update, delete),
 *   AlreadyExists when create finds it taken, InvalidRequest for input the schema cannot catch. A thrown
 *   error fails the request with InternalFailure (the message goes to the client, the stack to the log).
 * - SUCCESS of create, read and update carries the whole model with its primary identifier (\`Name\`) and
 *   read-only properties (\`Arn\`), never write-only ones (\`ApiKey\`); delete's SUCCESS carries no model.
 * - ccapi has already validated desiredResourceState against schema.json, refused patches that change a
 *   createOnly property, and validated typeConfiguration against schema.json's \`typeConfiguration\`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {object} ResourceModel The resource's properties, as schema.json defines them.
 * @property {string} Name The primary identifier: unique in an account and region, set once (createOnly).
 * @property {string} [Arn] Read-only: made by create.
 * @property {string} [Description]
 * @property {number} [Size]
 * @property {string} [ApiKey] Write-only: accepted by create and update, never returned.
 *
 * @typedef {object} TypeConfig This type's configuration (schema.json's \`typeConfiguration\`).
 * @property {string} [directory] Where ${n.noun} files live (relative: to the server's working directory).
 * @property {number} [pageSize] ${n.Nouns} per list page.
 *
 * @typedef {{ phase: 'STABILIZE' }} CreateCallbackContext What create's first step hands its second.
 *
 * The contract's types, from ccapi (src/providers/author.ts):
 * @typedef {import('ccapi/handlers').ResourceHandlerRequest<ResourceModel, CreateCallbackContext, TypeConfig>} Request
 * @typedef {import('ccapi/handlers').ProgressEvent<ResourceModel, CreateCallbackContext>} ProgressEvent
 * @typedef {import('ccapi/handlers').HandlerContext} HandlerContext
 *
 * @typedef {object} StoredRecord What a ${n.noun} file holds: the model, and what the "service" keeps to itself.
 * @property {ResourceModel} model Never holds ApiKey.
 * @property {string} [apiKeySha256] Only a digest of the key: the key itself is never written to disk.
 * @property {'PROVISIONING' | 'READY'} state
 * @property {string} createdBy The clientRequestToken of the create request that made it.
 * @property {string} createdAt
 * @property {string} updatedAt
 */

/** schema.json's pattern for Name. It is also what keeps a Name a safe file name: no \`/\`, no \`..\`. */
const NAME_PATTERN = /${NAME_PATTERN}/;
const DEFAULT_PAGE_SIZE = 20;
/** How long create waits between "provisioned" and "stabilized" (clients see it as RetryAfter). */
const STABILIZE_DELAY_SECONDS = 1;

/** @returns {ProgressEvent} */
const failed = (/** @type {import('ccapi/handlers').HandlerErrorCode} */ errorCode, /** @type {string} */ message) => ({ status: 'FAILED', errorCode, message });

/** AWS's words for a missing resource; clients show them after "Handler returned status FAILED: ". */
const notFound = (/** @type {Request} */ request, /** @type {unknown} */ name) =>
  failed('NotFound', \`Resource of type '\${request.typeName}' with identifier '\${String(name)}' was not found.\`);

/**
 * The file of ${n.noun} \`name\` in the caller's account and region, or undefined when \`name\` cannot be a
 * ${n.noun}'s. ${n.Nouns} are scoped like AWS resources: another account or region never sees them.
 * @param {Request} request
 * @param {unknown} name
 */
function fileOf(request, name) {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) return undefined;
  return join(scopeFolder(request), \`\${name}.json\`);
}

/** @param {Request} request */
function scopeFolder(request) {
  const directory = request.typeConfiguration?.directory;
  const root = directory ? resolve(directory) : fileURLToPath(new URL('./.data/', import.meta.url));
  // Both come from ccapi (the account from the credentials, the region from the signature), but they
  // become path segments: check them like any input that names a file.
  if (!/^[0-9]{12}$/.test(request.awsAccountId) || !/^[a-z0-9-]{1,32}$/.test(request.region)) {
    throw new Error(\`unexpected account \${request.awsAccountId} or region \${request.region}\`);
  }
  return join(root, request.awsAccountId, request.region);
}

/** \`arn:aws:${n.arnService}:us-east-1:111122223333:${n.arnResource}/name\` for ${n.typeName}. */
function arnOf(/** @type {Request} */ request, /** @type {string} */ name) {
  const [, service, resource] = request.typeName.toLowerCase().split('::');
  return \`arn:\${request.awsPartition}:\${service}:\${request.region}:\${request.awsAccountId}:\${resource}/\${name}\`;
}

const sha256 = (/** @type {string} */ text) => createHash('sha256').update(text).digest('hex');

/**
 * @param {string} file
 * @param {AbortSignal} [signal]
 * @returns {Promise<StoredRecord | undefined>} undefined when there is no such ${n.noun}.
 */
async function readRecord(file, signal) {
  try {
    return JSON.parse(await readFile(file, { encoding: 'utf8', signal }));
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes a ${n.noun} file atomically: the record goes to a temporary file in the same folder, is flushed to
 * disk, and then takes the real name in one step, so neither a reader nor a crash ever sees half a file.
 * \`rename\` replaces an existing file (update); \`link\` refuses with EEXIST when the name is taken (create),
 * which makes "create unless it exists" one atomic step, with no window between a check and the write.
 * @param {string} file
 * @param {StoredRecord} record
 * @param {{ exclusive?: boolean, signal?: AbortSignal }} [options]
 */
async function writeRecord(file, record, { exclusive = false, signal } = {}) {
  const folder = dirname(file);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, \`.\${basename(file)}.\${randomBytes(6).toString('hex')}.tmp\`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(\`\${JSON.stringify(record, null, 2)}\\n\`, { signal });
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (exclusive) await link(temp, file);
    else await rename(temp, file);
    await syncFolder(folder);
  } finally {
    // After rename there is nothing left to remove; after link, temp is a second name of the same file.
    await rm(temp, { force: true });
  }
}

/** Makes a rename or an unlink in \`folder\` itself durable (Linux and macOS; Windows cannot open a folder). */
async function syncFolder(/** @type {string} */ folder) {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * CREATE, in two steps. Step 1 (no callbackContext) provisions: it writes the ${n.noun} in state PROVISIONING
 * and answers IN_PROGRESS. Step 2 (callbackContext.phase STABILIZE) finds it, marks it READY and answers
 * SUCCESS. A real service would poll there until the thing is ready, answering IN_PROGRESS again (keep a
 * counter in callbackContext) and giving up with NotStabilized; the schema's timeoutInMinutes bounds it all.
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<ProgressEvent>}
 */
export async function create(request, context) {
  const { ApiKey, Arn: _readOnly, ...properties } = request.desiredResourceState ?? /** @type {ResourceModel} */ ({});
  const name = properties.Name;
  const file = fileOf(request, name);
  if (!file) return failed('InvalidRequest', \`Name must match \${NAME_PATTERN.source}\`);
  if (request.callbackContext?.phase === 'STABILIZE') return stabilize(request, file, context);

  const now = new Date().toISOString();
  /** @type {StoredRecord} */
  const record = {
    model: { ...properties, Name: name, Arn: arnOf(request, name) },
    ...(ApiKey !== undefined ? { apiKeySha256: sha256(ApiKey) } : {}),
    state: 'PROVISIONING',
    createdBy: request.clientRequestToken,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await writeRecord(file, record, { exclusive: true, signal: context.signal });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    const existing = await readRecord(file, context.signal);
    // Made by this same request: this step is running again (see the contract above), not a conflict.
    if (existing?.createdBy !== request.clientRequestToken) {
      return failed('AlreadyExists', \`Resource of type '\${request.typeName}' with identifier '\${name}' already exists.\`);
    }
  }
  context.log.info({ name }, '${n.noun} provisioned');
  return {
    status: 'IN_PROGRESS',
    // The model handed back on the next step as desiredResourceState. It must hold the primary identifier
    // (ccapi then shows it to clients), and being stored with the request it should not hold secrets.
    resourceModel: record.model,
    callbackContext: { phase: 'STABILIZE' },
    callbackDelaySeconds: STABILIZE_DELAY_SECONDS,
    message: '${n.Noun} provisioned; waiting for it to stabilize',
  };
}

/**
 * @param {Request} request
 * @param {string} file
 * @param {HandlerContext} context
 * @returns {Promise<ProgressEvent>}
 */
async function stabilize(request, file, context) {
  const record = await readRecord(file, context.signal);
  if (!record || record.createdBy !== request.clientRequestToken) {
    return failed('NotStabilized', \`${n.Noun} \${basename(file, '.json')} was deleted while it was being created\`);
  }
  if (record.state !== 'READY') {
    await writeRecord(file, { ...record, state: 'READY', updatedAt: new Date().toISOString() }, { signal: context.signal });
  }
  context.log.info({ name: record.model.Name }, '${n.noun} ready');
  return { status: 'SUCCESS', resourceModel: record.model };
}

/**
 * READ: \`desiredResourceState\` holds the primary identifier ({Name}) only. Answers the stored model, which
 * never holds the write-only ApiKey.
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<ProgressEvent>}
 */
export async function read(request, context) {
  const name = request.desiredResourceState?.Name;
  const file = fileOf(request, name);
  const record = file && (await readRecord(file, context.signal));
  if (!record) return notFound(request, name);
  return { status: 'SUCCESS', resourceModel: record.model };
}

/**
 * UPDATE: \`desiredResourceState\` is the whole new model (ccapi applied the client's patch to what read
 * returned), \`previousResourceState\` the model before. ccapi runs one operation per resource at a time, so
 * this read-modify-write does not race another update of the same ${n.noun}.
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<ProgressEvent>}
 */
export async function update(request, context) {
  const { ApiKey, Arn: _readOnly, ...properties } = request.desiredResourceState ?? /** @type {ResourceModel} */ ({});
  const name = properties.Name;
  const file = fileOf(request, name);
  const record = file && (await readRecord(file, context.signal));
  if (!file || !record) return notFound(request, name);

  /** @type {StoredRecord} */
  const next = {
    ...record,
    // A property the desired state lacks was removed by the patch: it is not copied from the old model.
    model: { ...properties, Name: record.model.Name, Arn: record.model.Arn },
    // Except write-only ones: read never returns ApiKey, so a patch that does not mention it yields a
    // desired state without it. Absent means "keep the current key" here, not "remove it".
    ...(ApiKey !== undefined ? { apiKeySha256: sha256(ApiKey) } : {}),
    updatedAt: new Date().toISOString(),
  };
  await writeRecord(file, next, { signal: context.signal });
  return { status: 'SUCCESS', resourceModel: next.model };
}

/**
 * DELETE: \`desiredResourceState\` holds the primary identifier. SUCCESS carries no model. Should ccapi stop
 * after the unlink but before it stores SUCCESS, this step runs again and answers NotFound, which clients
 * (Terraform, CloudFormation) take as "gone". Where that matters, mark the resource in a first step and
 * remove it in a second, as create does.
 * @param {Request} request
 * @returns {Promise<ProgressEvent>}
 */
async function remove(request) {
  const name = request.desiredResourceState?.Name;
  const file = fileOf(request, name);
  if (!file) return notFound(request, name);
  try {
    await unlink(file);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return notFound(request, name);
    throw error;
  }
  await syncFolder(dirname(file));
  return { status: 'SUCCESS' };
}
// \`delete\` is a reserved word: the handler is exported under that name.
export { remove as delete };

/**
 * LIST: one page of ${n.nouns}, in Name order, and a \`nextToken\` while more remain. The token is the last
 * Name of the page: unlike an offset, such a cursor neither skips nor repeats ${n.nouns} when others are
 * created or deleted between pages. Clients pass it back unchanged and must not read anything into it.
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<ProgressEvent>}
 */
export async function list(request, context) {
  const pageSize = request.typeConfiguration?.pageSize ?? DEFAULT_PAGE_SIZE;
  let files;
  try {
    files = await readdir(scopeFolder(request));
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return { status: 'SUCCESS', resourceModels: [] };
    throw error;
  }
  const after = request.nextToken;
  const names = files
    .filter((file) => file.endsWith('.json')) // temporary files start with "." and end with ".tmp"
    .map((file) => file.slice(0, -'.json'.length))
    .filter((name) => NAME_PATTERN.test(name) && (after === undefined || name > after))
    .sort();
  /** @type {ResourceModel[]} */
  const models = [];
  let last = 0;
  for (; last < names.length && models.length < pageSize; last++) {
    const record = await readRecord(/** @type {string} */ (fileOf(request, names[last])), context.signal);
    if (record) models.push(record.model); // deleted since readdir: skipped
  }
  return {
    status: 'SUCCESS',
    resourceModels: models,
    ...(last < names.length ? { nextToken: names[last - 1] } : {}),
  };
}
`;
}
