// Activation must not parse the AWS SDK: the activation bundle may reach the SDK only through the
// lazily required chunk dist/sdk.js. Reads the metafile that `npm run build` writes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, it } from 'node:test';

interface Metafile {
  outputs: Record<
    string,
    { bytes: number; inputs: Record<string, unknown>; imports: { path: string; external?: boolean }[] }
  >;
}

describe('bundle', () => {
  assert.ok(existsSync('.build/meta.json'), 'run `npm run build` first (npm test does)');
  const meta = JSON.parse(readFileSync('.build/meta.json', 'utf8')) as Metafile;
  const activation = meta.outputs['dist/extension.js'];

  it('keeps node_modules out of the activation bundle, but for the few KB of @vscode/l10n', () => {
    assert.ok(activation);
    // The core formats its messages with @vscode/l10n, configured at activation from vscode.l10n.
    const l10n = 'node_modules/@vscode/l10n/dist/main.js';
    const bundled = Object.keys(activation.inputs).filter((input) => input.includes('node_modules') && input !== l10n);
    assert.deepEqual(bundled, []);
    const l10nBytes = (activation.inputs[l10n] as { bytesInOutput?: number } | undefined)?.bytesInOutput ?? 0;
    assert.ok(l10nBytes < 8_000, `@vscode/l10n takes ${l10nBytes} bytes of the activation bundle`);
  });

  it('reaches the SDK, the YAML parser and the secret scanner only through their external lazy chunks', () => {
    const externals = new Set(activation.imports.filter((i) => i.external).map((i) => i.path.replace(/^node:/, '')));
    const chunks = ['./sdk.js', './cfnYaml.js', './secretScan.js'];
    assert.ok(chunks.every((chunk) => externals.has(chunk)));
    for (const path of externals) {
      assert.ok(
        path === 'vscode' || chunks.includes(path) || builtinModules.includes(path),
        `unexpected runtime import ${path}`,
      );
    }
    const sdk = meta.outputs['dist/sdk.js'];
    assert.ok(sdk && Object.keys(sdk.inputs).some((i) => i.includes('@aws-sdk/client-cloudformation')));
    const yaml = meta.outputs['dist/cfnYaml.js'];
    assert.ok(yaml && Object.keys(yaml.inputs).some((i) => i.includes('node_modules/yaml/')));
    const secretScan = meta.outputs['dist/secretScan.js'];
    assert.ok(secretScan && Object.keys(secretScan.inputs).some((i) => i.includes('node_modules/@secretlint/core/')));
  });
});
