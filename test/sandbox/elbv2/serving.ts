// The sandbox's load balancers answer HTTP on one loopback port of their own, as an ALB's DNS name
// would: the Host header picks the load balancer (its DNS name), or the only one there is. They also
// answer on the sandbox's endpoint for a Host under `.elb.localhost` (their DNS names, which browsers
// resolve to loopback), so the service stack's ServiceUrl opens on the endpoint's port. A request
// goes to a `healthy` target of the target group the listener forwards to (round robin), never to a
// target in its initial checks, unhealthy or draining, so a rolling deployment serves without a failed
// request. With no healthy target the answer is the ALB's own 503 page. The answer names the task
// that served it and its image tag (the commit the pipeline built it from) in response headers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostRoute, Sandbox } from '../core/types';
import { ecsState, shortName, type Task } from '../ecs/store';
import { elbState, LOAD_BALANCER_DOMAIN, type LoadBalancer } from './store';

/** The page and status line an ALB sends when its target group has no healthy target. */
export const ALB_503_BODY =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n';

/** Response headers saying which task served the request and the tag of the image it runs. */
export const SERVED_BY_HEADER = 'x-sandbox-task';
export const IMAGE_TAG_HEADER = 'x-sandbox-image-tag';

interface Serving {
  readonly server: Server;
  readonly listening: Promise<string>;
  next: number;
}

const servers = new WeakMap<Sandbox, Serving>();

export function startServing(sandbox: Sandbox): void {
  if (servers.has(sandbox)) return;
  const server = createServer((req, res) => answer(sandbox, req, res, true));
  server.keepAliveTimeout = 5000;
  const listening = new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  servers.set(sandbox, { server, listening, next: 0 });
}

export async function stopServing(sandbox: Sandbox): Promise<void> {
  const serving = servers.get(sandbox);
  if (!serving) return;
  servers.delete(sandbox);
  const closed = new Promise<void>((resolve) => serving.server.close(() => resolve()));
  serving.server.closeAllConnections();
  await closed;
}

/** `http://127.0.0.1:<port>`: where the sandbox's load balancers answer. */
export function loadBalancerEndpoint(sandbox: Sandbox): Promise<string> {
  const serving = servers.get(sandbox);
  return serving ? serving.listening : Promise.reject(new Error('the sandbox has no load balancer server'));
}

/** Requests to the sandbox's endpoint whose Host is a load balancer's DNS name (`*.elb.localhost`). */
export const loadBalancerHostRoute: HostRoute = {
  matches: (hostname) => hostname === LOAD_BALANCER_DOMAIN || hostname.endsWith(`.${LOAD_BALANCER_DOMAIN}`),
  handle: (req, res, ctx) => answer(ctx.sandbox, req, res, false),
};

/** `anyOnPort`: on the load balancers' own port a Host that names none goes to the only one there is. */
function answer(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse, anyOnPort: boolean): void {
  req.resume();
  const lb = loadBalancerFor(sandbox, hostnameOf(req), anyOnPort);
  if (!lb) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('No load balancer of the sandbox has this host name.\n');
    return;
  }
  const picked = pickTarget(sandbox, lb);
  if (!picked) {
    res.writeHead(503, 'Service Temporarily Unavailable', { 'content-type': 'text/html', server: 'awselb/2.0' });
    res.end(ALB_503_BODY);
    return;
  }
  const { task, targetGroupArn } = picked;
  // The container the service binds to the target group: not a sidecar.
  const binding = Object.values(ecsState(sandbox).services)
    .find((s) => s.serviceArn === task.serviceArn)
    ?.loadBalancers.find((b) => b.targetGroupArn === targetGroupArn);
  const image = (task.containers.find((c) => c.name === binding?.containerName) ?? task.containers[0])?.image ?? '';
  const tag = /:([^:/@]+)$/.exec(image)?.[1] ?? 'latest';
  res.writeHead(200, {
    'content-type': 'text/plain',
    [SERVED_BY_HEADER]: shortName(task.taskArn),
    [IMAGE_TAG_HEADER]: tag,
  });
  res.end(req.method === 'HEAD' ? undefined : `Served by task ${shortName(task.taskArn)} running ${image}\n`);
}

/** The Host header's name, lower case, without port or trailing dot. */
function hostnameOf(req: IncomingMessage): string {
  return (req.headers.host ?? '').replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
}

function loadBalancerFor(sandbox: Sandbox, host: string, anyOnPort: boolean): LoadBalancer | undefined {
  const all = Object.values(elbState(sandbox).loadBalancers);
  return all.find((lb) => lb.dnsName.toLowerCase() === host) ?? (anyOnPort && all.length === 1 ? all[0] : undefined);
}

/** The next healthy target, round robin over the listeners' target groups, as its running task. */
function pickTarget(sandbox: Sandbox, lb: LoadBalancer): { task: Task; targetGroupArn: string } | undefined {
  const { listeners, targetGroups } = elbState(sandbox);
  const groups = Object.values(listeners)
    .filter((l) => l.loadBalancerArn === lb.arn)
    .flatMap((l) => l.targetGroupArns)
    .map((arn) => targetGroups[arn])
    .filter((g) => g !== undefined);
  const tasks = Object.values(ecsState(sandbox).tasks).filter((t) => t.lastStatus === 'RUNNING');
  const healthy = groups.flatMap((g) =>
    g.targets
      .filter((t) => t.state === 'healthy')
      .map((t) => tasks.find((task) => task.ip === t.id))
      .filter((task) => task !== undefined)
      .map((task) => ({ task, targetGroupArn: g.arn })),
  );
  if (healthy.length === 0) return undefined;
  const serving = servers.get(sandbox)!;
  serving.next = (serving.next + 1) % healthy.length;
  return healthy[serving.next];
}
