/**
 * NextTokens of ListResources and ListResourceRequests (issue #17, part 3). A token is opaque and bound: it carries
 * the position where the next page starts (a ListResourceRequests seq, a list handler's own token), encrypted and
 * authenticated together with the operation, the caller's account and region, and the query (type, filter). A token
 * replayed by another tenant, or into another type or filter, or edited or made up by a client, fails the check
 * and is refused; a client can learn nothing from it but its length. The access key is not bound: temporary
 * credentials are refreshed during long walks, and the account and region are what scope the data.
 *
 * The key is the store's (Store.pagingKey): every node on one database honours the others' tokens, and tokens
 * stay valid across restarts, as a paginator expects. Positions are keysets (the last seq or identifier a page
 * covered), so a page never shifts when items are created or deleted in between.
 *
 * AWS documents no error for a bad NextToken (ListResourceRequests models no errors at all:
 * https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/API_ListResourceRequests.html) and no public
 * record of one was found. ValidationException is the error every Cloud Control operation answers for input that
 * fails its constraints (https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/CommonErrors.html), and
 * it is what ccapi answered for a malformed ListResourceRequests token before, so it stays.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { validationError } from '../protocol/errors.js';
import type { Caller } from '../domain/caller.js';
import type { Store } from '../store/store.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What a token is bound to, besides the caller: the operation and the query's own terms, in a fixed order. */
export interface PageQuery {
  operation: 'ListResources' | 'ListResourceRequests';
  terms: readonly (string | undefined)[];
}

const keys = new WeakMap<Store, Promise<Buffer>>();

/** The store's paging key, read once per store (and created on first use). */
function keyOf(store: Store): Promise<Buffer> {
  let key = keys.get(store);
  if (!key) {
    key = store.pagingKey(randomBytes(32).toString('base64')).then((value) => Buffer.from(value, 'base64'));
    // A failed read is not remembered: the next page asks again.
    key.catch(() => keys.delete(store));
    keys.set(store, key);
  }
  return key;
}

/** The associated data: what the token is bound to, authenticated with the position but not carried in the token. */
function binding(caller: Caller, query: PageQuery): Buffer {
  return Buffer.from(JSON.stringify([VERSION, query.operation, caller.accountId, caller.region, query.terms]));
}

/**
 * A NextToken for `position`: AES-256-GCM with the binding as associated data, so the position is hidden and the
 * token opens only for the same caller and query. Standard base64 (ListResourceRequests' NextToken pattern is
 * `[-A-Za-z0-9+/=]+`: https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/API_ListResourceRequests.html).
 * A fresh IV each time: the same position never gives the same token twice.
 */
export async function sealPageToken(store: Store, caller: Caller, query: PageQuery, position: string): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await keyOf(store), iv);
  cipher.setAAD(binding(caller, query));
  const sealed = Buffer.concat([cipher.update(position, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** The position a token carries, or ValidationException when it was not sealed by this database for this caller and query. */
export async function openPageToken(store: Store, caller: Caller, query: PageQuery, token: string): Promise<string> {
  const bytes = /^[A-Za-z0-9+/]*={0,2}$/.test(token) ? Buffer.from(token, 'base64') : Buffer.alloc(0);
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION || bytes.toString('base64') !== token) throw invalidToken();
  const decipher = createDecipheriv('aes-256-gcm', await keyOf(store), bytes.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(binding(caller, query));
  decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    // The tag did not match: another caller's or query's token, an edited one, or one from another database.
    throw invalidToken();
  }
}

function invalidToken() {
  return validationError('Invalid NextToken');
}
