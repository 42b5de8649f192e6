// ListResources' ResourceModel, checked against the list handler's handlerSchema as CloudFormation checks it.
import type { JsonSchema, ResourceSchema } from './types.js';
import { compileSchema } from './validation.js';

/** Where the resource's properties are copied in a list handler schema, so "#/properties/X" refs can reach them. */
const RESOURCE_PROPERTIES = 'x-ccapi-resource-properties';
const REF = /^(?:resource-schema\.json)?#\/(properties|definitions)\/([^/]+)(.*)$/;

/**
 * The schema that validates ListResources' ResourceModel: `handlers.list.handlerSchema`, whose refs
 * ("resource-schema.json#/properties/ClusterName", "#/definitions/X", even "#/properties/X") point into the resource
 * schema, as CloudFormation resolves them (it registers the resource schema as resource-schema.json beside it).
 * Only the referenced properties and definitions are copied in. Undefined when the type has no handlerSchema.
 */
export function listHandlerSchema(schema: ResourceSchema): JsonSchema | undefined {
  const handlerSchema = schema.handlers?.list?.handlerSchema;
  if (!handlerSchema) return undefined;
  const own = new Set(Object.keys((handlerSchema.definitions as object | undefined) ?? {}));
  const copied = { properties: {} as Record<string, unknown>, definitions: {} as Record<string, unknown> };
  const queue: Array<['properties' | 'definitions', string]> = [];
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const m = k === '$ref' && typeof v === 'string' ? REF.exec(v) : null;
      if (m) {
        const [, kind, token, rest] = m as unknown as [string, 'properties' | 'definitions', string, string];
        const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
        if (kind === 'properties' || !own.has(name)) queue.push([kind, name]);
        out[k] = `#/${kind === 'properties' ? RESOURCE_PROPERTIES : 'definitions'}/${token}${rest}`;
      } else {
        out[k] = rewrite(v);
      }
    }
    return out;
  };
  const root = rewrite(handlerSchema) as JsonSchema;
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [kind, name] = next;
    const source = kind === 'properties' ? schema.properties : schema.definitions;
    if (Object.hasOwn(copied[kind], name) || !source || !Object.hasOwn(source, name)) continue;
    copied[kind][name] = rewrite(source[name]);
  }
  root.definitions = { ...copied.definitions, ...(root.definitions as object | undefined) };
  root[RESOURCE_PROPERTIES] = copied.properties;
  return root;
}

/** Validates a ListResources ResourceModel (absent = {}); undefined when the type declares no handlerSchema. */
export function compileListModelValidator(schema: ResourceSchema): ((model: unknown) => string[]) | undefined {
  const root = listHandlerSchema(schema);
  if (!root) return undefined;
  const validate = compileSchema(root);
  return (model) => validate(model ?? {});
}

/**
 * The InvalidRequestException message for a ResourceModel that fails the list handlerSchema. Missing keys give the
 * form observed from Cloud Control: "Missing or invalid ResourceModel property in AWS::EKS::Nodegroup list handler
 * request input.Required property: (#: required key [ClusterName] not found)". Several missing keys are listed in
 * the same parentheses, comma-separated; other violations (a wrong type, an unmet oneOf) follow in the same shape
 * as "Invalid property: (…)". (AWS's text for those is not on record; one type's own list handler answers
 * "…input. Required property: [LoadBalancerArn]" for ELBv2 Listener's oneOf.)
 */
export function listModelError(typeName: string, violations: string[]): string {
  const required = violations.filter((v) => / required key \[.*\] not found$/.test(v));
  const other = violations.filter((v) => !required.includes(v));
  const parts = [];
  if (required.length) parts.push(`Required property: (${required.join(', ')})`);
  if (other.length) parts.push(`Invalid property: (${other.join(', ')})`);
  return `Missing or invalid ResourceModel property in ${typeName} list handler request input.${parts.join(' ')}`;
}

