/**
 * How AWS forms a type's generated values, as data: the name it generates when the caller gives none, each
 * read-only attribute and generated identifier as a template over the model, the account, region and
 * partition, and the values AWS's read returns that the caller did not set. One entry per type, with the
 * sources its facts come from; a contributor adds a type by adding an entry (formats/data/), never code.
 *
 * Templates use CloudFormation's `${}` syntax:
 *
 *   ${AWS::Partition} ${AWS::Region} ${AWS::AccountId} ${AWS::URLSuffix}   the caller's scope
 *   ${BucketName}  ${Endpoint.Address}                                     a model value (set or formed earlier)
 *   ${Random:hex:17} ${Random:lower:10} ${Random:upper:13} ${Random:alnum:8}  random characters of a class
 *   ${Random:digits:12} ${Random:uuid}
 *
 * e.g. `sg-${Random:hex:17}` for GroupId, then `${GroupId}` for Id, so both are the same value, as on AWS.
 */

/** The naming rule of a type's name property, used when the caller leaves the name out. */
export interface NameRule {
  /** The property that holds the name (a top-level property). */
  property: string;
  /** The characters the service allows: `lower` = lower-case letters, digits and hyphens (S3). Default: any case. */
  case?: 'lower' | 'any';
  /** The service's limit on the name's length. */
  maxLength?: number;
  /** A suffix the name must end with when a boolean property is true (SQS FIFO queues: `.fifo`). */
  suffix?: { when: string; value: string };
}

/**
 * A read-only attribute's value: a template (a string); a literal JSON value (its strings may hold templates);
 * a choice on whether the model has a property, e.g. a security group's `Id` is its `GroupId` when it was
 * created in a VPC and its `GroupName` otherwise; or a choice on a property's value, e.g. a load balancer's
 * DNS name by its `Type` (`{ on: 'Type', cases: { network: '…' }, else: '…' }`, the `else` also when the
 * property is absent). A choice without `else` leaves the attribute absent, as AWS does (an EKS cluster's
 * `Id` exists only on Outposts), and the generic provider does not guess it; `{ absent: true }` always does
 * (an RDS instance's `PercentProgress`, which AWS's read of an available instance leaves out). A choice's
 * branches are rules themselves: an RDS endpoint's port is the given `Port`, else the `Engine`'s default.
 * `{ generic: true }` says no source tells the value in that case: the generic provider's derived rule forms it.
 */
export type AttributeRule =
  | string
  | { value: unknown }
  | { ifSet: string; then: AttributeRule; else?: AttributeRule }
  | { on: string; cases: Readonly<Record<string, AttributeRule>>; else?: AttributeRule }
  | { absent: true }
  | { generic: true };

export interface TypeFormat {
  /** Where the rules come from: documentation pages, or public issues that quote AWS's responses. */
  sources: readonly string[];
  name?: NameRule;
  /**
   * Read-only attributes and generated identifiers, formed in this order (a later one may use an earlier
   * one). Keys are top-level property names, or dotted paths into an object (`Endpoint.Address`).
   */
  attributes?: Readonly<Record<string, AttributeRule>>;
  /** Values AWS's read returns when the caller did not set them, beyond the schema's own `default`s. */
  defaults?: Readonly<Record<string, unknown>>;
  /**
   * Properties AWS's read never returns, as schema pointers (`/properties/Code/ZipFile`). Registry schemas list
   * their own; the built-in catalogue's spec does not record them, so its build takes them from here.
   */
  writeOnly?: readonly string[];
}
