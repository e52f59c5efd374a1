import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commercialRegions, readSdkPartitions } from '../../../scripts/sdkPartitions';
import { knownRegions, regionName } from '../../../src/aws/regions';
import sdkRegions from '../../../src/aws/sdkRegions.json';

describe('regions from the SDK partition data', () => {
  it('lists exactly the SDK partition table\'s commercial regions (run "npx tsx scripts/refreshRegions.ts" after an SDK upgrade)', () => {
    const fromSdk = commercialRegions(readSdkPartitions());
    assert.deepEqual(
      knownRegions().map((r) => r.code),
      fromSdk.map((r) => r.code),
    );
    assert.deepEqual(sdkRegions.regions, fromSdk);
  });

  it('includes the regions the old hand-written list lacked', () => {
    const codes = new Set(knownRegions().map((r) => r.code));
    for (const code of ['ap-east-2', 'ap-southeast-5', 'ap-southeast-7', 'mx-central-1', 'us-east-1', 'ap-northeast-2'])
      assert.ok(codes.has(code), code);
    assert.ok(!codes.has('aws-global'));
  });

  it('names every listed region the way the SDK does', () => {
    for (const region of knownRegions()) assert.equal(regionName(region.code), region.name, region.code);
  });
});
