// The AWS SDK's partition table (partitions.json, which the SDK compiles into @aws-sdk/core): every
// partition with its regions and their names. @aws-sdk/core exports only `partition(region)`, a
// lookup, not the table, so it is read from the package's own module file here, at build time.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface SdkPartitions {
  /** The @aws-sdk/core version the table came with. */
  readonly sdkVersion: string;
  readonly partitions: readonly {
    readonly id: string;
    readonly regions: Readonly<Record<string, { readonly description?: string } | undefined>>;
  }[];
}

export function readSdkPartitions(): SdkPartitions {
  const root = dirname(require.resolve('@aws-sdk/core/package.json'));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const source = readFileSync(
    join(root, 'dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js'),
    'utf8',
  );
  // `export const partitionsInfo = { …JSON… };`
  const json = source.slice(source.indexOf('{'), source.lastIndexOf('}') + 1);
  const { partitions } = JSON.parse(json) as Pick<SdkPartitions, 'partitions'>;
  return { sdkVersion: version, partitions };
}

/** The commercial partition's regions with their names, in the SDK's order; global pseudo-regions left out. */
export function commercialRegions(partitions: SdkPartitions): { code: string; name: string }[] {
  const aws = partitions.partitions.find((p) => p.id === 'aws');
  if (!aws) throw new Error('the SDK has no "aws" partition');
  return Object.entries(aws.regions)
    .filter(([code, info]) => !code.endsWith('-global') && typeof info?.description === 'string')
    .map(([code, info]) => ({ code, name: info?.description ?? code }));
}
