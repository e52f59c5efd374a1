// Open in Browser: which address the browser gets for the service's URL, on AWS and on a local AWS.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserUrl, isLocalhostName } from '../../../src/health/browserUrl';

const LOCAL_LB = 'http://WorkshopS-LoadBa-1a2b3c4d5e6f-1234567890.us-east-1.elb.localhost';

describe('browserUrl', () => {
  it('leaves the URL alone on AWS (no endpointUrl)', () => {
    assert.equal(browserUrl(LOCAL_LB, undefined), LOCAL_LB);
    const aws = 'http://lb-1-1234567890.us-east-1.elb.amazonaws.com';
    assert.equal(browserUrl(aws, undefined), aws);
  });

  it('opens a .localhost load balancer on the endpoint port, keeping its name for the Host header', () => {
    assert.equal(
      browserUrl(LOCAL_LB, 'http://127.0.0.1:4566'),
      'http://workshops-loadba-1a2b3c4d5e6f-1234567890.us-east-1.elb.localhost:4566/',
    );
    assert.equal(
      browserUrl(`${LOCAL_LB}/health?x=1`, 'http://localhost:4566/'),
      'http://workshops-loadba-1a2b3c4d5e6f-1234567890.us-east-1.elb.localhost:4566/health?x=1',
    );
  });

  it("replaces the listener's port and scheme by the endpoint's, the scheme's default included", () => {
    assert.equal(
      browserUrl('http://lb.elb.localhost:8080/', 'https://127.0.0.1:4443'),
      'https://lb.elb.localhost:4443/',
    );
    assert.equal(browserUrl('http://lb.elb.localhost:8080/', 'http://127.0.0.1'), 'http://lb.elb.localhost/');
  });

  it('leaves a name that is not under .localhost alone even with an endpoint', () => {
    const aws = 'http://lb-1-1234567890.us-east-1.elb.amazonaws.com';
    assert.equal(browserUrl(aws, 'http://127.0.0.1:4566'), aws);
    assert.equal(browserUrl('http://localhost.example.com/', 'http://127.0.0.1:4566'), 'http://localhost.example.com/');
  });

  it('leaves what is not a URL alone', () => {
    assert.equal(browserUrl('not a url', 'http://127.0.0.1:4566'), 'not a url');
    assert.equal(browserUrl(LOCAL_LB, 'not a url'), LOCAL_LB);
  });
});

describe('isLocalhostName', () => {
  it('is localhost and the names under it (RFC 6761), in any case, with a trailing dot', () => {
    for (const name of ['localhost', 'a.localhost', 'lb.us-east-1.elb.LOCALHOST', 'x.localhost.']) {
      assert.equal(isLocalhostName(name), true, name);
    }
    for (const name of ['127.0.0.1', 'localhost.example.com', 'notlocalhost', 'elb.amazonaws.com']) {
      assert.equal(isLocalhostName(name), false, name);
    }
  });
});
