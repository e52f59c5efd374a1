// The sandbox's load balancer serves the service of service.yaml on a loopback port of its own: the
// Host header (the load balancer's DNS name) picks it, healthy targets answer with the task and image
// tag in headers, a rolling deployment serves every request, and no healthy target is the ALB's 503.
// Its DNS name is under .localhost and the sandbox's endpoint serves it too (Open in Browser).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { elbv2Api } from '../../../src/aws/elbv2';
import { browserUrl } from '../../../src/health/browserUrl';
import { browserLikeAgent } from '../../support/browserLikeAgent';
import { loadBalancerUrl } from '../../../src/health/serviceUrl';
import { ALB_503_BODY, IMAGE_TAG_HEADER, SERVED_BY_HEADER, loadBalancerEndpoint } from '../../sandbox/elbv2/serving';
import { startWorkshop, testCredentials, waitFor, type Workshop } from '../pipeline/workshop';

describe('the sandbox load balancer serves the service', () => {
  let workshop: Workshop;
  let endpoint: string;
  let host: string;

  async function get(path = '/'): Promise<{ status: number; task: string | null; tag: string | null; body: string }> {
    const res = await fetch(`${endpoint}${path}`, { headers: { host } });
    return {
      status: res.status,
      task: res.headers.get(SERVED_BY_HEADER),
      tag: res.headers.get(IMAGE_TAG_HEADER),
      body: await res.text(),
    };
  }

  async function updateService(input: { desiredCount?: number; forceNewDeployment?: boolean }): Promise<void> {
    const ecs = new ECSClient({ endpoint: workshop.endpoint, region: 'us-east-1', credentials: testCredentials });
    try {
      await ecs.send(
        new UpdateServiceCommand({
          cluster: workshop.outputs.ClusterName,
          service: workshop.outputs.ServiceName,
          ...input,
        }),
      );
    } finally {
      ecs.destroy();
    }
  }

  /** The rollout is over: one deployment left, COMPLETED. */
  async function rolledOut(): Promise<boolean> {
    const ecs = new ECSClient({ endpoint: workshop.endpoint, region: 'us-east-1', credentials: testCredentials });
    try {
      const out = await ecs.send(
        new DescribeServicesCommand({
          cluster: workshop.outputs.ClusterName,
          services: [workshop.outputs.ServiceName],
        }),
      );
      const deployments = out.services?.[0]?.deployments ?? [];
      return deployments.length === 1 && deployments[0]?.rolloutState === 'COMPLETED';
    } finally {
      ecs.destroy();
    }
  }

  before(async () => {
    workshop = await startWorkshop({ speed: 30, serviceOnly: true });
    endpoint = await loadBalancerEndpoint(workshop.sandbox.sandbox);
    const elb = new ElasticLoadBalancingV2Client({
      endpoint: workshop.endpoint,
      region: 'us-east-1',
      credentials: testCredentials,
    });
    try {
      const groups = await elb.send(
        new DescribeTargetGroupsCommand({ TargetGroupArns: [workshop.outputs.TargetGroupArn] }),
      );
      const lbArn = groups.TargetGroups?.[0]?.LoadBalancerArns?.[0];
      const lbs = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn!] }));
      host = lbs.LoadBalancers?.[0]?.DNSName ?? '';
    } finally {
      elb.destroy();
    }
  });

  after(async () => {
    await workshop?.close();
  });

  it('answers / and the health path from a running task, naming it and its image tag', async () => {
    const first = await waitFor(
      async () => {
        const r = await get();
        return r.status === 200 ? r : undefined;
      },
      60_000,
      () => 'never 200',
    );
    assert.match(first.task ?? '', /^[0-9a-f]{32}$/);
    assert.equal(first.tag, 'latest');
    assert.equal((await get('/health')).status, 200);
  });

  it('serves every request during a rolling deployment, moving to the new tasks', async () => {
    const before = new Set<string>();
    for (let i = 0; i < 4; i++) before.add((await get()).task ?? '');
    await updateService({ forceNewDeployment: true });
    const failed: number[] = [];
    const served = new Set<string>();
    await waitFor(
      async () => {
        const r = await get();
        if (r.status !== 200) failed.push(r.status);
        served.add(r.task ?? '');
        // Done once the rollout is over and only tasks that were not serving before answer.
        const recent = await Promise.all([get(), get()]);
        for (const x of recent) if (x.status !== 200) failed.push(x.status);
        return recent.every((x) => x.task && !before.has(x.task)) && (await rolledOut()) ? true : undefined;
      },
      90_000,
      () => `served by ${[...served].join(', ')}`,
      20,
    );
    assert.deepEqual(failed, [], 'no failed request during the rollout');
  });

  it('Open in Browser: the ServiceUrl output, mapped onto the endpoint, reaches the app by its .localhost name', async () => {
    const serviceUrl = workshop.outputs.ServiceUrl ?? '';
    assert.equal(serviceUrl, `http://${host}`);
    assert.match(host, /^[a-z0-9-]+-\d{10}\.us-east-1\.elb\.localhost$/i);
    // Without the stack's output the extension finds the same URL from the target group's listener.
    assert.equal(
      await loadBalancerUrl(elbv2Api(workshop.session), [workshop.outputs.TargetGroupArn ?? '']),
      serviceUrl,
    );
    const opened = browserUrl(serviceUrl, workshop.endpoint);
    const { port } = new URL(workshop.endpoint);
    assert.equal(opened, `http://${host.toLowerCase()}:${port}/`);
    // Node's resolver does not know *.localhost; this agent resolves it as a browser does.
    const browserLike = browserLikeAgent();
    try {
      const res = await fetch(`${opened}health`, { dispatcher: browserLike });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get(IMAGE_TAG_HEADER), 'latest');
      assert.match(res.headers.get(SERVED_BY_HEADER) ?? '', /^[0-9a-f]{32}$/);
      assert.match(await res.text(), /^Served by task [0-9a-f]{32} running /);
      // A .localhost name that is no load balancer of the sandbox is not served (nor sent to the API).
      const unknown = await fetch(`http://nobody-1234567890.us-east-1.elb.localhost:${port}/`, {
        dispatcher: browserLike,
      });
      assert.equal(unknown.status, 404);
      assert.match(await unknown.text(), /No load balancer of the sandbox has this host name/);
    } finally {
      await browserLike.close();
    }
  });

  it("answers with the ALB's 503 page when no target is healthy", async () => {
    await updateService({ desiredCount: 0 });
    const r = await waitFor(
      async () => {
        const x = await get();
        return x.status === 503 ? x : undefined;
      },
      60_000,
      () => 'still serving',
    );
    assert.equal(r.body, ALB_503_BODY);
    assert.equal(r.task, null);
  });
});
