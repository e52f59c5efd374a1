// An HTTP agent that resolves names as a browser does: `localhost` and `*.localhost` go to loopback
// (RFC 6761 §6.3; Chromium and Firefox do it themselves), everything else to the system's resolver,
// which (glibc without nss-myhostname) does not know `*.localhost`. Requests keep the name in their
// Host header, which is how the sandbox picks the load balancer.
import { lookup } from 'node:dns';
import { Agent } from 'undici';
import { isLocalhostName } from '../../src/health/browserUrl';

export function browserLikeAgent(): Agent {
  return new Agent({
    connect: {
      lookup: (hostname, options, callback) =>
        isLocalhostName(hostname)
          ? callback(null, [{ address: '127.0.0.1', family: 4 }])
          : lookup(hostname, options, callback),
    },
  });
}
