/** Identifier sources: request tokens are UUIDs like the real service's; generated ids are random but well-formed. */
import { randomBytes, randomUUID } from 'node:crypto';

export interface IdSource {
  uuid(): string;
  /** `length` characters from `alphabet`. */
  random(alphabet: string, length: number): string;
}

export const LOWER_HEX = '0123456789abcdef';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const cryptoIds: IdSource = {
  uuid: () => randomUUID(),
  random(alphabet, length) {
    const bytes = randomBytes(length);
    let out = '';
    // 256 % alphabet.length bias is irrelevant for emulated identifiers.
    for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
    return out;
  },
};
