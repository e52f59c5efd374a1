// CloudFormation hands resource properties over as the template wrote them — a `Ref` to a Number
// parameter is the string '8080' — and converts them to the API's types before it calls the
// service, as the resource schemas say. A sandbox resource provider does the same with this: it
// turns the strings of a property value into the numbers and booleans the operation's model asks for.
import { loadServiceModel, shapeOf, type ServiceModel, type ShapeRef } from './shapes';
import { MODEL_CATALOG } from './catalog';

/** `value` with every numeric and boolean member of `operation`'s input converted from its text form. */
export function coerceToInput(signingName: string, operation: string, value: unknown): unknown {
  const model = loadServiceModel(MODEL_CATALOG[signingName].model);
  const input = model.operations[operation]?.input;
  if (!input) throw new Error(`the ${signingName} model has no operation ${operation}`);
  return coerce(model, input, value);
}

function coerce(model: ServiceModel, ref: ShapeRef, value: unknown): unknown {
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const members = shape.members ?? {};
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [
          key,
          Object.hasOwn(members, key) ? coerce(model, members[key], item) : item,
        ]),
      );
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => coerce(model, shape.member!, item)) : value;
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, coerce(model, shape.value!, item)]),
      );
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}
