/** Resolving the TypeName of a call to a catalogued type that supports the action asked for. */
import { ServiceError } from '../protocol/errors.js';
import type { HandlerName, ResourceType, TypeCatalogue } from '../registry/types.js';

export function resolveType(catalogue: TypeCatalogue, typeName: string, handler: HandlerName): ResourceType {
  const type = catalogue.get(typeName);
  if (!type) throw new ServiceError('TypeNotFoundException', `The type '${typeName}' cannot be found.`);
  if (!type.hasHandler(handler)) {
    // Observed wording: "Resource type AWS::EC2::VolumeAttachment does not support UPDATE action".
    throw new ServiceError('UnsupportedActionException', `Resource type ${typeName} does not support ${handler.toUpperCase()} action`);
  }
  return type;
}
