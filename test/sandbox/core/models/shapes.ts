// AWS service models in botocore's JSON form (`service-2.json`), as vendored in ./aws/ by
// scripts/vendor-service-models.mjs: shapes with their constraints, operations with their input and
// output shapes. Only the fields the sandbox's validator reads are typed here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ShapeType =
  'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';

/** A reference to a shape, with how the member is serialized. */
export interface ShapeRef {
  readonly shape: string;
  readonly location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  readonly locationName?: string;
  readonly flattened?: boolean;
  readonly xmlAttribute?: boolean;
}

export interface Shape {
  readonly type: ShapeType;
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, ShapeRef>>;
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly sensitive?: boolean;
  readonly flattened?: boolean;
  readonly locationName?: string;
  readonly payload?: string;
  readonly union?: boolean;
  readonly document?: boolean;
  readonly exception?: boolean;
}

export interface Operation {
  readonly name: string;
  readonly http?: { readonly method: string; readonly requestUri: string; readonly responseCode?: number };
  readonly input?: ShapeRef;
  readonly output?: ShapeRef & { readonly resultWrapper?: string };
  /** 'none': AWS takes the call without SigV4 (IAM Identity Center's sign-in operations). */
  readonly authtype?: string;
}

export interface ServiceModel {
  readonly metadata: {
    readonly protocol: 'json' | 'query' | 'rest-xml' | 'rest-json' | 'ec2';
    readonly apiVersion: string;
    readonly endpointPrefix: string;
    readonly signingName?: string;
    readonly targetPrefix?: string;
    readonly xmlNamespace?: string;
  };
  readonly operations: Readonly<Record<string, Operation>>;
  readonly shapes: Readonly<Record<string, Shape>>;
  /** Where the vendored copy came from (botocore version and path). */
  readonly source: string;
}

const MODEL_DIR = join(__dirname, 'aws');
const loaded = new Map<string, ServiceModel>();

/** Reads (once per process) the vendored model `aws/<file>.json`, e.g. 'codepipeline-2015-07-09'. */
export function loadServiceModel(file: string): ServiceModel {
  let model = loaded.get(file);
  if (!model) {
    model = JSON.parse(readFileSync(join(MODEL_DIR, `${file}.json`), 'utf8')) as ServiceModel;
    loaded.set(file, model);
  }
  return model;
}

export function shapeOf(model: ServiceModel, ref: ShapeRef): Shape {
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`service model ${model.source} has no shape ${ref.shape}`);
  return shape;
}
