/** STS's wire table (query protocol, botocore sts 2011-06-15): what GetCallerIdentity answers with. */
import type { XmlStruct } from './xml.js';

export const STS_VERSION = '2011-06-15';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_SIGNING_NAME = 'sts';

export interface GetCallerIdentityOutput extends XmlStruct {
  UserId: string;
  Account: string;
  Arn: string;
}
