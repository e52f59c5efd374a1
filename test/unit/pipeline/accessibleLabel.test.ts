import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessibleLabel, speakable } from '../../../src/pipeline/accessibleLabel';

describe('screen-reader labels of tree nodes', () => {
  it('says the name, the kind and the state in words', () => {
    assert.equal(
      accessibleLabel({ label: 'Build', description: 'Failed · 56s', contextValue: 'stage retryable' }),
      'Build stage, Failed, 56 seconds',
    );
    assert.equal(
      accessibleLabel({ label: 'Deploy', description: 'In progress · 3m 05s', contextValue: 'stage' }),
      'Deploy stage, In progress, 3 minutes 5 seconds',
    );
  });

  it('spells out ages and drops codicons', () => {
    assert.equal(speakable('$(pass) Succeeded 1h ago'), 'Succeeded 1 hour ago');
    assert.equal(speakable('1s ago'), '1 second ago');
    assert.equal(speakable('2d ago'), '2 days ago');
    assert.equal(speakable('abc123d'), 'abc123d');
  });

  it('leaves nodes of other kinds with their label and description', () => {
    assert.equal(accessibleLabel({ label: 'Events', description: '', contextValue: 'events' }), 'Events');
  });
});
