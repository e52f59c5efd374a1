// Loads the secret scan chunk on first use. esbuild leaves `./secretScan` external (scripts/esbuild.mjs),
// so in the bundle this require resolves to dist/secretScan.js beside dist/extension.js; under tsx it is
// src/findings/secretScan.ts. A missing or broken chunk is reported, never thrown: the push goes on.
export type SecretScanModule = typeof import('./secretScan');

let loaded: SecretScanModule | undefined;

export function loadSecretScan(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => unknown = () => require('./secretScan'),
): { ok: true; module: SecretScanModule } | { ok: false; reason: string } {
  if (loaded) {
    return { ok: true, module: loaded };
  }
  try {
    const module = load() as SecretScanModule;
    if (typeof module?.scanForSecrets !== 'function') {
      return { ok: false, reason: 'the secret scan module has no scanForSecrets' };
    }
    loaded = module;
    return { ok: true, module };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}
