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

  it('keeps node_modules out of the activation bundle', () => {
    assert.ok(activation);
    const bundled = Object.keys(activation.inputs).filter((input) => input.includes('node_modules'));
    assert.deepEqual(bundled, []);
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
