import { loadSdk } from './sdkLoader';
import sdkRegions from './sdkRegions.json';

// The regions the picker offers: the commercial partition of the SDK's own partition table
// (sdkRegions.json, generated from it by scripts/refreshRegions.ts and checked against it by a unit
// test), so a region AWS opens appears with the SDK upgrade that knows it. "Other…" accepts any
// code the SDK knows, in every partition (China, GovCloud, …).

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
  return sdkRegions.regions.map(({ code, name }) => ({ code, name }));
}
