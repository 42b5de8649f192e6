import { createHash, createHmac } from 'node:crypto';

/** node:crypto behind the hash interface @smithy/signature-v4 expects (the signer the JS SDK uses). */
export class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}
