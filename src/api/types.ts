/** Resolving the TypeName of a call to a catalogued type that supports the action asked for. */
import { ServiceError } from '../protocol/errors.js';
import type { ResourceType, TypeCatalogue } from '../registry/types.js';
import type { SchemaHandlerKey } from '../domain/vocabulary.js';

export function resolveType(catalogue: TypeCatalogue, typeName: string, handler: SchemaHandlerKey): ResourceType {
  const type = catalogue.get(typeName);
  if (!type) throw new ServiceError('TypeNotFoundException', `The type '${typeName}' cannot be found.`);
  // Cloud Control supports only provisionable types (create, read and delete handlers); IAM::Policy or
  // SQS::QueuePolicy, say, have no read handler and are CloudFormation-only (Cloud Control user guide).
  const provisionable = type.hasHandler('create') && type.hasHandler('read') && type.hasHandler('delete');
  if (!provisionable || !type.hasHandler(handler)) {
    // Observed wording: "Resource type AWS::EC2::VolumeAttachment does not support UPDATE action".
    throw new ServiceError('UnsupportedActionException', `Resource type ${typeName} does not support ${handler.toUpperCase()} action`);
  }
  return type;
}
