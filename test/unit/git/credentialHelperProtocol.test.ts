import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCredentialResponse,
  parseAction,
  parseCredentialRequest,
} from '../../../src/git/credentialHelperProtocol';

describe('parseCredentialRequest', () => {
  it('reads what git sends, ignoring unknown keys and keeping list attributes', () => {
    const r = parseCredentialRequest(
      'capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/x\nwwwauth[]=Basic realm="AWS CodeCommit"\nfuture_key=whatever\n\n',
    );
    assert.ok(r.ok);
    assert.equal(r.request.protocol, 'https');
    assert.equal(r.request.host, 'git-codecommit.us-east-1.amazonaws.com');
    assert.equal(r.request.path, 'v1/repos/x');
    assert.equal(r.request.username, undefined);
    assert.deepEqual(r.request.attributes.get('capability[]'), ['authtype', 'state']);
    assert.deepEqual(r.request.attributes.get('wwwauth[]'), ['Basic realm="AWS CodeCommit"']);
  });

  it('stops at the first blank line, accepts EOF without one, and CRLF line ends', () => {
    const r = parseCredentialRequest('protocol=https\r\nhost=a\r\n\r\nhost=b\n');
    assert.ok(r.ok);
    assert.equal(r.request.host, 'a');
    const eof = parseCredentialRequest('protocol=http\nhost=127.0.0.1:4566');
    assert.ok(eof.ok);
    assert.equal(eof.request.host, '127.0.0.1:4566');
    const empty = parseCredentialRequest('');
    assert.ok(empty.ok);
    assert.equal(empty.request.host, undefined);
  });

  it('splits at the first =, so values may contain =', () => {
    const r = parseCredentialRequest('path=v1/repos/a=b\n\n');
    assert.ok(r.ok);
    assert.equal(r.request.path, 'v1/repos/a=b');
  });

  it('lets a later value win, and an empty list value clear the list (as git does)', () => {
    const r = parseCredentialRequest('host=a\nhost=b\nwwwauth[]=x\nwwwauth[]=\nwwwauth[]=y\n');
    assert.ok(r.ok);
    assert.equal(r.request.host, 'b');
    assert.deepEqual(r.request.attributes.get('wwwauth[]'), ['y']);
  });

  it('rejects malformed lines and NUL bytes', () => {
    assert.equal(parseCredentialRequest('protocol=https\nnonsense\n\n').ok, false);
    assert.equal(parseCredentialRequest('=value\n').ok, false);
    assert.equal(parseCredentialRequest('host=a\0b\n').ok, false);
  });
});

describe('parseAction', () => {
  it('knows get, store and erase only', () => {
    assert.equal(parseAction('get'), 'get');
    assert.equal(parseAction('store'), 'store');
    assert.equal(parseAction('erase'), 'erase');
    assert.equal(parseAction('capability'), undefined);
    assert.equal(parseAction(undefined), undefined);
  });
});

describe('formatCredentialResponse', () => {
  it('writes key=value lines', () => {
    assert.equal(
      formatCredentialResponse({ username: 'AKID%token', password: '20240101T000000Zabc' }),
      'username=AKID%token\npassword=20240101T000000Zabc\n',
    );
  });

  it('refuses values that would inject lines, without echoing them', () => {
    for (const value of ['a\nhost=evil', 'a\rb', 'a\0b']) {
      assert.throws(
        () => formatCredentialResponse({ password: value }),
        (e: Error) => !e.message.includes(value),
      );
    }
    assert.throws(() => formatCredentialResponse({ 'bad=key': 'v' }));
  });
});
