import { loadSdk } from './sdkLoader';

// Region codes offered by the picker. Names come from the SDK's partition table, so a code the SDK
// does not know is dropped rather than shown with a made-up name; "Other…" accepts any known code.
const COMMON_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
];

export interface RegionInfo {
  code: string;
  name: string;
}

/** The region's name, e.g. "US East (N. Virginia)"; undefined for a code the SDK's partition table lacks. */
export function regionName(code: string): string | undefined {
  // The SDK adds `description` only for regions listed in its table, not for regex matches.
  const match = loadSdk().partition(code) as { description?: unknown };
  return typeof match.description === 'string' ? match.description : undefined;
}

export function knownRegions(): RegionInfo[] {
  return COMMON_REGIONS.flatMap((code) => {
    const name = regionName(code);
    return name ? [{ code, name }] : [];
  });
}
