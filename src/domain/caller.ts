/** Who is calling: the verified (or, in open mode, declared) identity every request is scoped to. */
import type { Scope } from './records.js';

/** The account and region every request, resource and token is scoped to, and the credential behind them. */
export interface Caller extends Scope {
  accessKeyId?: string;
  /** The IAM user a verified credential names (GetCallerIdentity's Arn); absent means the account root. */
  userName?: string;
}

/** The role session temporary credentials stand for. */
export interface AssumedRole {
  roleName: string;
  sessionName: string;
}

/** A caller as STS sees it: a verified temporary credential also names its role session (auth/ sets it). */
export interface StsCaller extends Caller {
  assumedRole?: AssumedRole;
}
