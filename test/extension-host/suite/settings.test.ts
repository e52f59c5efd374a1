// The settings schema's defaults, as the editor reads them from the contributed configuration.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';

function defaultOf(key: string): unknown {
  return vscode.workspace.getConfiguration('workshopPipeline').inspect(key)?.defaultValue;
}

describe('settings', () => {
  it('has the documented defaults', () => {
    assert.equal(defaultOf('profile'), '');
    assert.equal(defaultOf('region'), '');
    assert.equal(defaultOf('endpointUrl'), '');
    assert.equal(defaultOf('stackName'), 'WorkshopPipeline');
    assert.equal(defaultOf('pipelineName'), '');
    assert.deepEqual(defaultOf('parameters'), {});
    assert.equal(defaultOf('templatePath'), '');
    assert.equal(defaultOf('notifications'), 'mine');
  });

  it('reads the user settings the runner wrote', () => {
    const config = vscode.workspace.getConfiguration('workshopPipeline');
    assert.match(config.get<string>('endpointUrl') ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
