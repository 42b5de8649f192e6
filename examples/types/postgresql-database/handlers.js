/**
 * Handlers of Ccapi::PostgreSQL::Database: a database and the login role owning it, in the PostgreSQL
 * server of the type configuration. Plain JavaScript that ccapi imports as it is; README.md beside this
 * file walks through the parts of the handler contract each one shows.
 *
 * Which databases are this type's: the owner role's comment carries a marker naming the type, the Cloud
 * Control account and region, the database and the request that created it. It is written in the same
 * transaction as CREATE ROLE, and CREATE DATABASE ... OWNER ties the database to that role atomically, so
 * there is never a moment when a database exists that a crash could leave unmarked. The database's own
 * comment stays the user's (the Comment property).
 */
import { failed, inTransaction, run } from './connection.js';
import { passwordClause } from './scram.js';

/** @typedef {import('ccapi/handlers').HandlerContext} HandlerContext */
/**
 * @typedef {object} DatabaseModel
 * @property {string} DatabaseName
 * @property {string} OwnerRole
 * @property {string} [OwnerPassword]
 * @property {number} [ConnectionLimit]
 * @property {string} [Comment]
 * @property {'UTF8' | 'SQL_ASCII' | 'LATIN1'} [Encoding]
 * @property {number} [Oid]
 */
/** @typedef {{ stage: 'role-created' | 'database-created' }} CreateProgress what create's steps hand each other */
/** @typedef {import('./connection.js').ConnectionSettings} ConnectionSettings */
/** @typedef {import('pg').Client} Client */
/** @typedef {import('ccapi/handlers').ResourceHandlerRequest<DatabaseModel, CreateProgress, ConnectionSettings>} Request */
/** @typedef {import('ccapi/handlers').ProgressEvent<DatabaseModel, CreateProgress>} Event */

const TYPE_NAME = 'Ccapi::PostgreSQL::Database';

/** Seconds between create's steps: each step is short, so the next may follow at once. */
const STEP_DELAY_SECONDS = 1;

// ---------------------------------------------------------------------------------------------------
// The five handlers

/**
 * Three steps, each one durable change, each safe to run again: the engine re-runs a step whose outcome
 * it never recorded (a crash, a lost lease), with the same callbackContext and the same request token.
 *   1. (no callbackContext) the owner role, marked with this request's token;
 *   2. ('role-created')     the database, owned by that role;
 *   3. ('database-created') the comment; SUCCESS with the model as the catalog has it.
 *
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<Event>}
 */
export async function create(request, context) {
  const model = request.desiredResourceState;
  // ccapi validated DesiredState against schema.json; this answers a direct call (a test) just as clearly.
  if (!model?.DatabaseName || !model.OwnerRole) return failed('InvalidRequest', 'DatabaseName and OwnerRole are required');
  const stage = request.callbackContext?.stage;
  return run(request, context, async (client) => {
    switch (stage) {
      case undefined:
        return createOwnerRole(client, request, model, context);
      case 'role-created':
        return createDatabase(client, request, model, context);
      case 'database-created':
        return commentAndReadBack(client, request, model);
      default:
        return failed('InternalFailure', `Unknown create stage ${JSON.stringify(stage)}`);
    }
  });
}

/**
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<Event>}
 */
export async function read(request, context) {
  const name = request.desiredResourceState?.DatabaseName ?? '';
  return run(request, context, async (client) => {
    const current = await findManagedDatabase(client, request, name);
    return current ? { status: 'SUCCESS', resourceModel: current } : notFound(name);
  });
}

/**
 * One step, one transaction: ALTER DATABASE, COMMENT and ALTER ROLE are all transactional. Changes are
 * computed against the catalog, not against previousResourceState, so a change made outside ccapi is
 * corrected too. OwnerPassword is writeOnly: reads never return it, so the patched model holds one only
 * when the patch sets it (Cloud Control allows only `add` on writeOnly properties); then it is set.
 *
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<Event>}
 */
export async function update(request, context) {
  const desired = request.desiredResourceState;
  if (!desired?.DatabaseName) return failed('InvalidRequest', 'DatabaseName is required');
  const previous = request.previousResourceState;
  // ccapi refuses patches of createOnly properties before a handler runs; a handler still must not pretend.
  for (const key of /** @type {const} */ (['OwnerRole', 'Encoding'])) {
    if (previous?.[key] !== undefined && desired[key] !== undefined && desired[key] !== previous[key]) {
      return failed('NotUpdatable', `${key} cannot be changed after creation`);
    }
  }
  return run(request, context, async (client) => {
    const current = await findManagedDatabase(client, request, desired.DatabaseName);
    if (!current) return notFound(desired.DatabaseName);
    const database = client.escapeIdentifier(current.DatabaseName);
    const limit = desired.ConnectionLimit ?? -1;
    if (!Number.isInteger(limit)) return failed('InvalidRequest', 'ConnectionLimit must be an integer');
    await inTransaction(client, async () => {
      if (limit !== current.ConnectionLimit) await client.query(`ALTER DATABASE ${database} CONNECTION LIMIT ${limit}`);
      if (desired.Comment !== current.Comment) await client.query(`COMMENT ON DATABASE ${database} IS ${commentLiteral(client, desired.Comment)}`);
      if (desired.OwnerPassword !== undefined && desired.OwnerPassword !== previous?.OwnerPassword) {
        await client.query(`ALTER ROLE ${client.escapeIdentifier(current.OwnerRole)} ${await passwordClause(client, desired.OwnerPassword)}`);
      }
    });
    context.log.info({ database: current.DatabaseName }, 'updated database');
    const updated = await findManagedDatabase(client, request, desired.DatabaseName);
    return updated ? { status: 'SUCCESS', resourceModel: updated } : notFound(desired.DatabaseName);
  });
}

/**
 * DROP DATABASE cannot run in a transaction, so database and role go in two statements. A delete that
 * crashed between them is finished by running it again: a role marked for this database that owns no
 * database is what is left, and it is dropped (so is one a failed create left behind).
 *
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<Event>}
 */
async function remove(request, context) {
  const name = request.desiredResourceState?.DatabaseName ?? '';
  return run(request, context, async (client) => {
    const current = await findManagedDatabase(client, request, name);
    // FORCE (PostgreSQL 13+) ends the database's sessions: otherwise one idle connection blocks the drop.
    if (current) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    const roles = await unusedMarkedRoles(client, request, name);
    if (!current && roles.length === 0) return notFound(name);
    for (const role of roles) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
    context.log.info({ database: name, roles }, 'dropped database and owner role');
    // The contract: a delete's SUCCESS carries no model.
    return { status: 'SUCCESS' };
  });
}
// `delete` is a reserved word, so the function has another name and is exported as `delete`.
export { remove as delete };

/**
 * The databases of this type in the caller's account and region, in name order, a page at a time. The
 * nextToken is the last name of the page, encoded so clients treat it as opaque.
 *
 * @param {Request} request
 * @param {HandlerContext} context
 * @returns {Promise<Event>}
 */
export async function list(request, context) {
  let after = '';
  if (request.nextToken !== undefined) {
    const decoded = Buffer.from(request.nextToken, 'base64url').toString('utf8');
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(decoded)) return failed('InvalidRequest', 'Invalid NextToken');
    after = decoded;
  }
  return run(request, context, async (client, settings) => {
    // ListResources' MaxResults when the caller gave one (AWS calls it reserved; ccapi honours it).
    const pageSize = request.maxResults ?? settings.listPageSize ?? 100;
    const models = await listManagedDatabases(client, request, after, pageSize + 1);
    const page = models.slice(0, pageSize);
    const last = page.at(-1);
    return {
      status: 'SUCCESS',
      resourceModels: page,
      ...(models.length > pageSize && last ? { nextToken: Buffer.from(last.DatabaseName).toString('base64url') } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// create's steps

/**
 * Step 1. AlreadyExists is decided here, before anything is made; a database that appears later is a
 * race, which step 2 handles. A role already marked with this request's token is this step's own work
 * from before a crash; any other existing role is someone else's, and is left alone.
 *
 * @param {Client} client
 * @param {Request} request
 * @param {DatabaseModel} model
 * @param {HandlerContext} context
 * @returns {Promise<Event>}
 */
async function createOwnerRole(client, request, model, context) {
  if ((await databaseOwner(client, model.DatabaseName)) !== undefined) return failed('AlreadyExists', `Database ${model.DatabaseName} already exists`);
  const marker = ownershipMarker(request, model.DatabaseName);
  const comment = await roleComment(client, model.OwnerRole);
  if (comment === undefined) {
    const role = client.escapeIdentifier(model.OwnerRole);
    const password = await passwordClause(client, model.OwnerPassword);
    await inTransaction(client, async () => {
      await client.query(`CREATE ROLE ${role} LOGIN ${password}`);
      await client.query(`COMMENT ON ROLE ${role} IS ${client.escapeLiteral(marker)}`);
    });
    context.log.info({ database: model.DatabaseName, role: model.OwnerRole }, 'created owner role');
  } else if (comment?.startsWith(`${markerScope(request)}${model.DatabaseName} request=`) && comment !== marker) {
    // Marked for this database by another request: one that failed or timed out after its step 1.
    return failed('AlreadyExists', `Role ${model.OwnerRole} already exists, left by an earlier create of ${model.DatabaseName} that did not finish; DeleteResource ${model.DatabaseName} removes it`);
  } else if (comment !== marker) {
    return failed('AlreadyExists', `Role ${model.OwnerRole} already exists`);
  }
  // The model goes back with IN_PROGRESS: the engine hands it to the next step as desiredResourceState.
  return { status: 'IN_PROGRESS', resourceModel: model, callbackContext: { stage: 'role-created' }, callbackDelaySeconds: request.typeConfiguration?.stepDelaySeconds ?? STEP_DELAY_SECONDS };
}

/**
 * Step 2. CREATE DATABASE cannot run inside a transaction block, so it is its own step. If the database
 * exists and is owned by this request's role, this step made it before a crash.
 *
 * @param {Client} client
 * @param {Request} request
 * @param {DatabaseModel} model
 * @param {HandlerContext} context
 * @returns {Promise<Event>}
 */
async function createDatabase(client, request, model, context) {
  const owner = await databaseOwner(client, model.DatabaseName);
  const ours = (await roleComment(client, model.OwnerRole)) === ownershipMarker(request, model.DatabaseName);
  if (owner === undefined && ours) {
    const limit = model.ConnectionLimit ?? -1;
    if (!Number.isInteger(limit)) return failed('InvalidRequest', 'ConnectionLimit must be an integer');
    const encoding = model.Encoding ?? 'UTF8';
    // template0, not the default template1: CREATE DATABASE fails while anyone is connected to its
    // template, and only template0 may be copied into another encoding. A locale must match the
    // encoding, except C, which fits all.
    const locale = encoding === 'UTF8' ? '' : ` LOCALE 'C'`;
    await client.query(
      `CREATE DATABASE ${client.escapeIdentifier(model.DatabaseName)} OWNER ${client.escapeIdentifier(model.OwnerRole)}` +
        ` TEMPLATE template0 ENCODING ${client.escapeLiteral(encoding)}${locale} CONNECTION LIMIT ${limit}`,
    );
    context.log.info({ database: model.DatabaseName }, 'created database');
  } else if (owner !== model.OwnerRole || !ours) {
    // Created by someone else since step 1 (or our role vanished): undo step 1 and leave nothing behind.
    if (ours) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(model.OwnerRole)}`);
    return failed('AlreadyExists', owner === undefined ? `Role ${model.OwnerRole} was dropped during creation` : `Database ${model.DatabaseName} already exists`);
  }
  return { status: 'IN_PROGRESS', resourceModel: model, callbackContext: { stage: 'database-created' }, callbackDelaySeconds: request.typeConfiguration?.stepDelaySeconds ?? STEP_DELAY_SECONDS };
}

/**
 * Step 3. COMMENT replaces any earlier comment, so running it twice is harmless. The answer is the model
 * as the catalog has it (what read returns), never the desired model: no password, the real Oid.
 *
 * @param {Client} client
 * @param {Request} request
 * @param {DatabaseModel} model
 * @returns {Promise<Event>}
 */
async function commentAndReadBack(client, request, model) {
  await client.query(`COMMENT ON DATABASE ${client.escapeIdentifier(model.DatabaseName)} IS ${commentLiteral(client, model.Comment)}`);
  const created = await findManagedDatabase(client, request, model.DatabaseName);
  if (!created) return failed('NotStabilized', `Database ${model.DatabaseName} disappeared during creation`);
  return { status: 'SUCCESS', resourceModel: created };
}

// ---------------------------------------------------------------------------------------------------
// Catalog queries (parameters, never text pasted into SQL)

/**
 * The owner role's comment: `managed by <type> account=<a> region=<r> database=<d> request=<token>`.
 * Names match ^[a-z_][a-z0-9_]*$ and account ids and regions hold no spaces, so the fields cannot blur.
 *
 * @param {Request} request
 */
function markerScope(request) {
  return `managed by ${TYPE_NAME} account=${request.awsAccountId} region=${request.region} database=`;
}

/**
 * @param {Request} request
 * @param {string} databaseName
 */
function ownershipMarker(request, databaseName) {
  return `${markerScope(request)}${databaseName} request=${request.clientRequestToken}`;
}

/**
 * A database's model, as read returns it. The prefix test on the owner role's comment is what makes a
 * database this type's (and this account's and region's); any other database is "not found".
 */
const SELECT_MANAGED = `
  SELECT d.datname, r.rolname AS owner, d.datconnlimit, pg_encoding_to_char(d.encoding) AS encoding,
         shobj_description(d.oid, 'pg_database') AS comment, d.oid::int8 AS oid
    FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
   WHERE starts_with(shobj_description(r.oid, 'pg_authid'), $1 || d.datname || ' request=')`;

/**
 * @param {{ datname: string, owner: string, datconnlimit: number, encoding: DatabaseModel['Encoding'], comment: string | null, oid: string }} row
 * @returns {DatabaseModel}
 */
function toModel(row) {
  return {
    DatabaseName: row.datname,
    OwnerRole: row.owner,
    ConnectionLimit: row.datconnlimit,
    Encoding: row.encoding,
    ...(row.comment !== null ? { Comment: row.comment } : {}),
    Oid: Number(row.oid),
  };
}

/**
 * @param {Client} client
 * @param {Request} request
 * @param {string} name
 * @returns {Promise<DatabaseModel | undefined>}
 */
async function findManagedDatabase(client, request, name) {
  const { rows } = await client.query(`${SELECT_MANAGED} AND d.datname = $2`, [markerScope(request), name]);
  return rows[0] ? toModel(rows[0]) : undefined;
}

/**
 * Names compare bytewise (type `name` collates as "C"), so `> $2` pages stably.
 *
 * @param {Client} client
 * @param {Request} request
 * @param {string} after
 * @param {number} limit
 * @returns {Promise<DatabaseModel[]>}
 */
async function listManagedDatabases(client, request, after, limit) {
  const { rows } = await client.query(`${SELECT_MANAGED} AND d.datname > $2 ORDER BY d.datname LIMIT $3`, [markerScope(request), after, limit]);
  return rows.map(toModel);
}

/**
 * The owner's name of any database called `name`, managed or not (names are unique in a cluster).
 *
 * @param {Client} client
 * @param {string} name
 * @returns {Promise<string | undefined>}
 */
async function databaseOwner(client, name) {
  const { rows } = await client.query('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [name]);
  return rows[0]?.owner;
}

/**
 * A role's comment: undefined when there is no such role, null when it has no comment.
 *
 * @param {Client} client
 * @param {string} role
 * @returns {Promise<string | null | undefined>}
 */
async function roleComment(client, role) {
  const { rows } = await client.query(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [role]);
  return rows[0] ? rows[0].comment : undefined;
}

/**
 * Roles marked for this database (any request) that own no database: left by a delete or a create that
 * did not finish.
 *
 * @param {Client} client
 * @param {Request} request
 * @param {string} name
 * @returns {Promise<string[]>}
 */
async function unusedMarkedRoles(client, request, name) {
  const { rows } = await client.query(
    `SELECT rolname FROM pg_roles r
      WHERE starts_with(shobj_description(r.oid, 'pg_authid'), $1)
        AND NOT EXISTS (SELECT 1 FROM pg_database d WHERE d.datdba = r.oid)
      ORDER BY rolname`,
    [`${markerScope(request)}${name} request=`],
  );
  return rows.map((row) => row.rolname);
}

/**
 * @param {Client} client
 * @param {string | undefined} comment
 */
function commentLiteral(client, comment) {
  return comment === undefined ? 'NULL' : client.escapeLiteral(comment);
}

/**
 * AWS's wording for a missing resource, as Cloud Control shows it for its own types.
 *
 * @param {string} name
 * @returns {Event}
 */
function notFound(name) {
  return failed('NotFound', `Resource of type '${TYPE_NAME}' with identifier '${name}' was not found.`);
}
