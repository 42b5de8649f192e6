/** Identifier sources: request tokens are UUIDs like the real service's; generated ids are random but well-formed. */
import { randomBytes, randomUUID } from 'node:crypto';

export interface IdSource {
  uuid(): string;
  /**
   * A UUID whose first 48 bits are the time in milliseconds (RFC 9562 version 7). Request tokens use it:
   * clients treat them as opaque UUIDs, and time-ordered keys append to the end of the store's indexes
   * instead of dirtying a random page per request (a measured cost on the create path).
   */
  timeOrderedUuid(): string;
  /** `length` characters from `alphabet`. */
  random(alphabet: string, length: number): string;
}

export const LOWER_HEX = '0123456789abcdef';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function uuidV7(now: number, random: Buffer): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  random.copy(bytes, 6, 0, 10);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const cryptoIds: IdSource = {
  uuid: () => randomUUID(),
  timeOrderedUuid: () => uuidV7(Date.now(), randomBytes(10)),
  random(alphabet, length) {
    const bytes = randomBytes(length);
    let out = '';
    // 256 % alphabet.length bias is irrelevant for emulated identifiers.
    for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
    return out;
  },
};
