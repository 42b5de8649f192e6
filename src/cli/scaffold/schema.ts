/**
 * The scaffold's schema.json: a small CloudFormation resource schema that still shows each part a real one
 * has (primaryIdentifier, readOnly, createOnly and writeOnly properties, handlers with permissions and
 * timeouts, a typeConfiguration), and that the scaffold's handlers implement exactly.
 */
import type { ScaffoldNames } from './names.js';

/** The pattern of Name, in schema.json and in handlers.js: a Name is a file name there, so it must never hold `/` or `..`. */
export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';

export function schemaJson(n: ScaffoldNames): string {
  const schema = {
    typeName: n.typeName,
    description: `${n.Nouns}, each kept as a JSON file by this type's handlers (scaffolded by ccapi types init): say here what your resource is.`,
    properties: {
      Name: {
        description: `The ${n.noun}'s name, unique in its account and region. Set at creation: another name is another ${n.noun}.`,
        type: 'string',
        pattern: NAME_PATTERN,
      },
      Arn: { description: `The ${n.noun}'s ARN, made by the create handler.`, type: 'string' },
      Description: { description: `What the ${n.noun} is for.`, type: 'string', maxLength: 256 },
      Size: { description: `How big the ${n.noun} is.`, type: 'integer', minimum: 1, maximum: 100 },
      ApiKey: {
        description: `A secret the ${n.noun} is given. Write-only: accepted by create and update, never returned by read or list.`,
        type: 'string',
        minLength: 8,
        maxLength: 128,
      },
    },
    additionalProperties: false,
    required: ['Name'],
    primaryIdentifier: ['/properties/Name'],
    readOnlyProperties: ['/properties/Arn'],
    createOnlyProperties: ['/properties/Name'],
    writeOnlyProperties: ['/properties/ApiKey'],
    tagging: { taggable: false },
    // The handlers call no AWS API, so they need no IAM permissions; a handler of a real type lists the actions it calls.
    handlers: {
      create: { permissions: [], timeoutInMinutes: 5 },
      read: { permissions: [] },
      update: { permissions: [], timeoutInMinutes: 5 },
      delete: { permissions: [], timeoutInMinutes: 5 },
      list: { permissions: [] },
    },
    typeConfiguration: {
      properties: {
        directory: {
          description: `The folder ${n.noun} files are kept in, relative to the server's working directory. Default: .data beside handlers.js.`,
          type: 'string',
          minLength: 1,
        },
        pageSize: { description: `${n.Nouns} per ListResources page. Default: 20.`, type: 'integer', minimum: 1, maximum: 100 },
      },
      additionalProperties: false,
    },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
