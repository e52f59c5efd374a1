// Loads the template parser (and the `yaml` library under it) on first use, like the SDK chunk:
// esbuild keeps `./cfnYaml` external (scripts/esbuild.mjs), so activation never parses it.
export type CfnYaml = typeof import('./cfnYaml');

let module: CfnYaml | undefined;

export function loadCfnYaml(): CfnYaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  module ??= require('./cfnYaml') as CfnYaml;
  return module;
}
