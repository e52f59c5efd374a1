// Loads the SDK chunk on first use. esbuild leaves `./sdk` external (scripts/esbuild.mjs), so in the
// bundle this require resolves to dist/sdk.js beside dist/extension.js; under tsx it is src/aws/sdk.ts.
export type Sdk = typeof import('./sdk');

let sdk: Sdk | undefined;

export function loadSdk(): Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= require('./sdk') as Sdk;
  return sdk;
}
