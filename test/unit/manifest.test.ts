// The public contract in package.json, and the rule that nothing contributed points at a stub.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { localizedManifest } from '../support/localizedManifest';
import { describe, it } from 'node:test';

interface Manifest {
  name: string;
  displayName: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  extensionKind: string[];
  capabilities: { untrustedWorkspaces: { supported: unknown } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    views: Record<string, { id: string; name: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    viewsWelcome: { view: string; when: string }[];
    configuration: {
      properties: Record<string, { type: string; default: unknown; scope?: string; markdownDescription?: string }>;
    };
  };
}

const manifest = localizedManifest<Manifest>();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

describe('package.json contract', () => {
  it('names and activation follow the architecture contract', () => {
    assert.equal(manifest.name, 'workshop-pipeline');
    assert.equal(manifest.displayName, 'Workshop Pipeline');
    assert.equal(manifest.engines.vscode, '^1.90.0');
    assert.equal(manifest.main, './dist/extension.js');
    // Present from start-up in a git workspace or one with Workshop Pipeline settings (the extension
    // then connects only where it belongs: startupGate.ts); views and commands activate it implicitly.
    assert.deepEqual(manifest.activationEvents, ['workspaceContains:.git', 'workspaceContains:.vscode/settings.json']);
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('contributes the container and both views with welcome content for missing credentials and no pipeline', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === 'workshopPipeline');
    assert.ok(container);
    assert.ok(readFileSync(container.icon, 'utf8').includes('<svg'));
    assert.deepEqual(
      manifest.contributes.views.workshopPipeline.map((v) => [v.id, v.name]),
      [
        ['workshopPipeline.stages', 'Pipeline'],
        ['workshopPipeline.health', 'Service Health'],
      ],
    );
    for (const view of ['workshopPipeline.stages', 'workshopPipeline.health']) {
      const whens = manifest.contributes.viewsWelcome.filter((w) => w.view === view).map((w) => w.when);
      // Missing credentials: Sign In for an IAM Identity Center profile, the CLI's ways for the others.
      assert.ok(whens.includes('workshopPipeline.connection == noCredentials && workshopPipeline.ssoProfile'), view);
      assert.ok(whens.includes('workshopPipeline.connection == noCredentials && !workshopPipeline.ssoProfile'), view);
      assert.ok(whens.includes('workshopPipeline.connection == noPipeline'), view);
    }
  });

  it('declares every contract setting with a type, default, scope and description', () => {
    const props = manifest.contributes.configuration.properties;
    for (const key of [
      'profile',
      'region',
      'endpointUrl',
      'stackName',
      'pipelineName',
      'parameters',
      'templatePath',
      'notifications',
    ]) {
      const prop = props[`workshopPipeline.${key}`];
      assert.ok(prop, key);
      assert.ok(prop.type && prop.scope && prop.markdownDescription && prop.default !== undefined, key);
    }
    assert.equal(props['workshopPipeline.stackName'].default, 'WorkshopPipeline');
    // Application scope: only user settings can set it (a workspace must not redirect credentials), and
    // unlike `machine` scope it is honoured by remote and browser hosts such as code-server.
    assert.equal(props['workshopPipeline.endpointUrl'].scope, 'application');
  });

  it('contributes only commands the code registers; only the two workshop commands in the AWS category', () => {
    const registered = new Set(
      sourceFiles('src').flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/register(?:Guarded|Read|Write)?Command\(\s*'([^']+)'/g)].map(
          (m) => m[1],
        ),
      ),
    );
    assert.ok(manifest.contributes.commands.length > 0);
    for (const command of manifest.contributes.commands) {
      assert.ok(registered.has(command.command), `${command.command} is contributed but never registered`);
      const known = ['workshopPipeline.deploy', 'workshopPipeline.commitAndPush'].includes(command.command);
      assert.equal(command.category, known ? 'AWS' : 'Workshop Pipeline', command.command);
    }
    const showFindings = manifest.contributes.commands.find((c) => c.command === 'workshopPipeline.showFindings');
    assert.equal(showFindings?.category, 'Workshop Pipeline');
  });
});
