/**
 * How the stores keep any JavaScript string in a text column and give back exactly the same string.
 *
 * Cloud Control lets characters through that a database cannot hold as they are. Identifier and the
 * ListResources NextToken are `.+` and RoleArn is `arn:.+:iam::[0-9]{12}:role/.+` (the Smithy model,
 * https://github.com/aws/aws-sdk-js-v3/blob/main/codegen/sdk-codegen/aws-models/cloudcontrol.json); Java's
 * `.` matches U+0000 and any lone surrogate (it excludes only line terminators:
 * https://docs.oracle.com/javase/8/docs/api/java/util/regex/Pattern.html#lt), and Jackson, the JSON parser
 * of AWS's Java services, reads a `\ud800` escape in a string value into a Java String as it is (it does not
 * refuse unpaired surrogates: https://github.com/FasterXML/jackson-core/issues/1683). So a GetResource of
 * "a\u0000b" or "a\ud800" is valid input whose answer is the handler's (ResourceNotFoundException), and a
 * type without a pattern on its identifier can even create such a resource. The databases cannot keep them:
 * - PostgreSQL text cannot hold U+0000 at all (`invalid byte sequence for encoding "UTF8": 0x00`, a 500).
 * - Both drivers send strings as UTF-8, where a lone surrogate has no encoding: pg replaces it with U+FFFD,
 *   so "a\ud800", "a\udc00" and "a\ufffd" became one key; better-sqlite3 writes it as WTF-8 bytes and reads
 *   back three U+FFFD, so a stored identifier or status message came back changed.
 *
 * The alternative, answering "not found" without asking the database for a string it cannot hold, would
 * be wrong for the resources that can exist with such identifiers, and would not cover status messages
 * that quote an identifier. So every text column that holds a string from a caller or a handler (not the
 * JSON columns: JSON.stringify escapes every control character and lone surrogate, so they never contain
 * one) goes through this reversible escape, with U+0001 as the escape character:
 *   U+0001 -> U+0001 "1",   a lone surrogate U+DXXX -> U+0001 "u" DXXX (4 upper-case hex digits),
 *   and, on PostgreSQL only, U+0000 -> U+0001 "0" (SQLite holds U+0000 itself, so its existing rows stay valid).
 * It is injective, so equality lookups (identifiers, lock keys, client tokens) still mean "the same string";
 * and the escapes sort in the same order on both stores (U+0000 < U+0001 < lone surrogates < everything
 * else, bytewise), so ListResources pages alike on SQLite and PostgreSQL. Strings with none of these
 * characters, i.e. all ordinary ones, are stored unchanged (one character-class test to store or look up,
 * one indexOf to read back: tens of nanoseconds, next to a database round trip of hundreds of microseconds).
 * Caveat: a string holding U+0001 written by an earlier ccapi is read back as written only if no escape
 * sequence follows it, and is no longer found by an exact lookup; before this, such strings were a 500 on
 * PostgreSQL (with U+0000) or came back changed (with a lone surrogate).
 */

/** A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const ESCAPE = '\u0001';

export interface TextCodec {
  /** The text to store (or to look up) for `value`. */
  encode(value: string): string;
  /** The string a stored text stands for. */
  decode(stored: string): string;
}

function codec(escapeNul: boolean): TextCodec {
  // A character class is the cheapest test, and ordinary strings (tokens, ARNs, names) fail it at once; a
  // surrogate pair (an emoji) passes it but then needs no escape, which the replacement leaves alone.
  const mayNeedEscape = new RegExp(`[${escapeNul ? '\\u0000' : ''}\\u0001\\uD800-\\uDFFF]`);
  const escapes = new RegExp(`${escapeNul ? '[\\u0000\\u0001]' : '\\u0001'}|${LONE_SURROGATE}`, 'g');
  const escaped = new RegExp(`\\u0001(?:${escapeNul ? '[01]' : '1'}|u(D[89A-F][0-9A-F]{2}))`, 'g');
  return {
    encode: (value) =>
      mayNeedEscape.test(value)
        ? value.replace(escapes, (c) => (c === ESCAPE ? `${ESCAPE}1` : c === '\u0000' ? `${ESCAPE}0` : `${ESCAPE}u${c.charCodeAt(0).toString(16).toUpperCase()}`))
        : value,
    decode: (stored) =>
      stored.indexOf(ESCAPE) === -1
        ? stored
        : stored.replace(escaped, (all: string, surrogate: string | undefined) =>
            surrogate !== undefined ? String.fromCharCode(parseInt(surrogate, 16)) : all === `${ESCAPE}0` ? '\u0000' : ESCAPE,
          ),
  };
}

/** SQLite keeps U+0000 in text as it is; only U+0001 and lone surrogates are escaped. */
export const SQLITE_TEXT = codec(false);
/** PostgreSQL text cannot hold U+0000: it is escaped too. */
export const POSTGRES_TEXT = codec(true);

/** Encodes when present; null and undefined stay absent. */
export function encodeOptional(codec: TextCodec, value: string | undefined): string | null {
  return value === undefined ? null : codec.encode(value);
}
