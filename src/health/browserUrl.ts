// The address a browser opens for the service's URL. On AWS it is the URL itself. A local AWS
// (workshopPipeline.endpointUrl) names its load balancers under `.localhost`, which browsers resolve
// to loopback (RFC 6761 §6.3), and serves them on its own endpoint, choosing the load balancer by the
// Host header: the URL keeps its host name and takes the endpoint's scheme and port.

/** `http://lb-1.us-east-1.elb.localhost` with endpoint `http://127.0.0.1:4566` → `http://lb-1.us-east-1.elb.localhost:4566/`. */
export function browserUrl(url: string, endpointUrl: string | undefined): string {
  if (!endpointUrl) return url;
  let target: URL;
  let endpoint: URL;
  try {
    target = new URL(url);
    endpoint = new URL(endpointUrl);
  } catch {
    return url;
  }
  if (!isLocalhostName(target.hostname)) return url;
  target.protocol = endpoint.protocol;
  target.port = endpoint.port;
  return target.href;
}

/** `localhost` and names under it (a trailing dot allowed), which resolvers map to loopback. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
