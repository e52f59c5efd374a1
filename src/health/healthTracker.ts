// One ECS service, refreshed by the poller: DescribeServices, then DescribeTargetHealth for each
// of its target groups; task definitions are immutable, so each is described once and cached.
// Polled fast only while the service deploys (or the pipeline's deploy stage runs).
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import { Emitter, type Disposable, type Event } from '../shared/emitter';
import type { PollOutcome, PollTask } from '../polling/adaptivePoller';
import { diffTrees, isEmptyChange, type TreeChange, type TreeNodeView } from '../pipeline/viewNode';
import type { EcsApi, TaskDefinition } from '../aws/ecs';
import type { Elbv2Api, TargetHealthDescription } from '../aws/elbv2';
import { buildHealthTree } from './healthTree';
import { buildServiceHealth, type ServiceHealth } from './serviceHealth';

export const HEALTH_IDLE_MS = 5 * 60_000;
const MAX_CACHED_TASK_DEFINITIONS = 20;

export interface HealthTrackerOptions {
  readonly ecs: Pick<EcsApi, 'describeService' | 'describeTaskDefinition'>;
  readonly elbv2: Elbv2Api;
  readonly cluster: string;
  readonly service: string;
  /** True while the pipeline's deploy action runs: poll fast even before ECS shows a deployment. */
  readonly pipelineDeploying?: () => boolean;
  readonly now?: () => number;
  readonly consoleUrl?: string;
  readonly log?: Logger;
}

export interface HealthChange {
  readonly tree: TreeChange;
  readonly verdictChanged: boolean;
}

export class HealthTracker implements PollTask, Disposable {
  readonly name: string;
  readonly idleMs = HEALTH_IDLE_MS;
  private readonly taskDefinitions = new Map<string, TaskDefinition>();
  private readonly changed: Emitter<HealthChange>;
  readonly onDidChange: Event<HealthChange>;
  private fingerprints: ReadonlyMap<string, string> = new Map();
  private health: ServiceHealth | undefined;
  private nodes: TreeNodeView[] = [];
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: HealthTrackerOptions) {
    this.name = `service ${options.service}`;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    this.changed = new Emitter((error) => this.log.error(`Health change listener failed: ${String(error)}`));
    this.onDidChange = this.changed.event;
  }

  get view(): { readonly health: ServiceHealth | undefined; readonly nodes: readonly TreeNodeView[] } {
    return { health: this.health, nodes: this.nodes };
  }

  async run(): Promise<PollOutcome> {
    const { ecs, elbv2, cluster, service } = this.options;
    const described = await ecs.describeService(cluster, service);
    const svc =
      described.services?.find((s) => s.serviceName === service || s.serviceArn === service) ?? described.services?.[0];
    const found = svc;
    const targetHealth = new Map<string, readonly TargetHealthDescription[]>();
    if (found) {
      for (const d of found.deployments ?? []) {
        if (d.taskDefinition && !this.taskDefinitions.has(d.taskDefinition)) {
          const td = (await ecs.describeTaskDefinition(d.taskDefinition)).taskDefinition;
          if (td) {
            this.remember(d.taskDefinition, td);
          }
        }
      }
      const groups = [
        ...new Set((found.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((a): a is string => !!a)),
      ];
      for (const arn of groups) {
        targetHealth.set(arn, (await elbv2.describeTargetHealth(arn)).TargetHealthDescriptions ?? []);
      }
    }
    const previousVerdict = this.health?.verdict;
    this.health = buildServiceHealth({
      serviceName: service,
      service: found,
      taskDefinitions: this.taskDefinitions,
      targetHealth,
    });
    this.nodes = buildHealthTree(this.health, this.now(), this.options.consoleUrl);
    const { change, fingerprints } = diffTrees(this.fingerprints, this.nodes);
    this.fingerprints = fingerprints;
    const verdictChanged = previousVerdict !== this.health.verdict;
    if (!isEmptyChange(change) || verdictChanged) {
      this.changed.fire({ tree: change, verdictChanged });
    }
    const active = this.health.verdict === 'Deploying' || (this.options.pipelineDeploying?.() ?? false);
    return { active, followedActive: false };
  }

  dispose(): void {
    this.changed.dispose();
    this.taskDefinitions.clear();
  }

  private remember(arn: string, td: TaskDefinition): void {
    this.taskDefinitions.set(arn, td);
    if (this.taskDefinitions.size > MAX_CACHED_TASK_DEFINITIONS) {
      this.taskDefinitions.delete(this.taskDefinitions.keys().next().value!);
    }
  }
}
