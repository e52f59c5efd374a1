// Regenerates src/aws/sdkRegions.json, the regions the Select Region picker lists, from the AWS SDK's
// partition table. Run after upgrading the SDK (a unit test fails until the two agree):
//   npx tsx scripts/refreshRegions.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commercialRegions, readSdkPartitions } from './sdkPartitions';

const partitions = readSdkPartitions();
const regions = commercialRegions(partitions);
const file = join(__dirname, '..', 'src', 'aws', 'sdkRegions.json');
writeFileSync(
  file,
  `${JSON.stringify({ source: `@aws-sdk/core ${partitions.sdkVersion} partitions, "aws" partition`, regions }, null, 2)}\n`,
);
console.log(`${regions.length} regions from @aws-sdk/core ${partitions.sdkVersion} written to ${file}`);
