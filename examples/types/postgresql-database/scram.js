/**
 * The PASSWORD clause of CREATE/ALTER ROLE without the cleartext password: a SCRAM-SHA-256 verifier
 * computed here, as psql's \password and libpq's PQencryptPasswordConn do. PostgreSQL stores a verifier it
 * is given as is; a cleartext password would travel in the statement text, where the server's statement
 * log, pg_stat_activity and pg_stat_statements can show it (the CREATE ROLE manual page warns about this).
 */
import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

/** PostgreSQL's own defaults (scram_iterations, SCRAM_DEFAULT_SALT_LEN), so our verifiers look like its own. */
const ITERATIONS = 4096;
const SALT_BYTES = 16;

/**
 * The verifier PostgreSQL would store for `password` (RFC 5802/7677):
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, all base64.
 *
 * @param {string} password
 * @param {Buffer} [salt]
 * @param {number} [iterations]
 * @returns {Promise<string>}
 */
export async function scramSha256Verifier(password, salt = randomBytes(SALT_BYTES), iterations = ITERATIONS) {
  const salted = await pbkdf2Async(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * `PASSWORD '<verifier>'`, or `PASSWORD NULL` without a password (the role then cannot log in with one).
 *
 * Clients normalize a password with SASLprep before hashing it. SASLprep leaves ASCII as it is, so an ASCII
 * password is hashed here; any other is sent as a (quoted) literal for the server to normalize and hash,
 * because a verifier of the unnormalized text would not match what clients compute.
 *
 * @param {{ escapeLiteral(text: string): string }} client
 * @param {string | undefined} password
 * @returns {Promise<string>}
 */
export async function passwordClause(client, password) {
  if (password === undefined) return 'PASSWORD NULL';
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(password);
  return `PASSWORD ${client.escapeLiteral(ascii ? await scramSha256Verifier(password) : password)}`;
}
