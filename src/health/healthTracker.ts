// One ECS service, refreshed by the poller: DescribeServices, then DescribeTargetHealth for each
// of its target groups; task definitions are immutable, so each is described once and cached.
// Polled fast only while the service deploys or starts tasks (or the pipeline's deploy stage runs).
//
// What AWS answers becomes a state, never an exception the poller would call "offline": a missing
// cluster or service, denied access or bad credentials are shown with their fix, and the tracker
// pauses (no calls) until something changes. Only throttling, network failures and 5xx go back to
// the poller, which backs off and shows "offline/throttled, retrying".
import * as l10n from '@vscode/l10n';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import { Emitter, type Disposable, type Event } from '../shared/emitter';
import { errorText } from '../shared/errorText';
import type { PollOutcome, PollTask } from '../polling/adaptivePoller';
import { diffTrees, isEmptyChange, type TreeChange, type TreeNodeView } from '../pipeline/viewNode';
import { errorCode, explainAwsError, pollErrorKind, type ErrorContext } from '../aws/errors';
import type { EcsApi, TaskDefinition } from '../aws/ecs';
import type { Elbv2Api, TargetHealthDescription } from '../aws/elbv2';
import { buildHealthTree, buildProblemTree } from './healthTree';
import type { ServiceVerdictKind } from '../pipeline/statusBarModel';
import { buildServiceHealth, type ServiceHealth, type TargetGroupProblem } from './serviceHealth';
import { missingProblem, serviceProblemOf, type ServiceLocation, type ServiceProblem } from './serviceProblem';
import { ecrImage, startIntentKey, type StartIntentStore, type StartOffer } from './startIntent';

export const HEALTH_IDLE_MS = 5 * 60_000;
const MAX_CACHED_TASK_DEFINITIONS = 20;

export interface HealthTrackerOptions {
  readonly ecs: Pick<EcsApi, 'describeService' | 'describeTaskDefinition'>;
  readonly elbv2: Pick<Elbv2Api, 'describeTargetHealth'>;
  readonly cluster: string;
  readonly service: string;
  /** The account and region read, as "does not exist in <account> <region>" names them. */
  readonly where?: { readonly account: string; readonly region: string };
  /** Whose credentials the reads use, for messages that name the profile and the fix. */
  readonly errorContext?: ErrorContext;
  /** Where the service is served: the service stack's ServiceUrl, else its load balancer's DNS name. */
  readonly serviceUrl?: (targetGroupArns: readonly string[]) => Promise<string | undefined>;
  /** Whether an ECR image exists: the moment a service created without tasks can start them. */
  readonly imageExists?: (repository: string, tag: string) => Promise<boolean>;
  /** Services the extension created with no tasks, and how many they should run. */
  readonly startIntents?: StartIntentStore;
  /** Tasks to offer for a service that runs none when no intent is remembered (the service stack's default). */
  readonly defaultDesiredCount?: number;
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

/** The first image of a service created without tasks has landed: ask once to start them. */
export interface StartRequest {
  readonly cluster: string;
  readonly service: string;
  readonly desired: number;
  /** The image the tasks will run, and the commit it was built from when its tag says so. */
  readonly image?: string;
  readonly commitId?: string;
}

/** What the status bar says of the service: its verdict, or why it cannot be read. */
export type ServiceStatus = ServiceVerdictKind;

export interface HealthView {
  readonly health: ServiceHealth | undefined;
  readonly problem: ServiceProblem | undefined;
  readonly url: string | undefined;
  readonly start: StartOffer | undefined;
  readonly nodes: readonly TreeNodeView[];
}

export class HealthTracker implements PollTask, Disposable {
  readonly name: string;
  readonly idleMs = HEALTH_IDLE_MS;
  private readonly taskDefinitions = new Map<string, TaskDefinition>();
  private readonly changed: Emitter<HealthChange>;
  readonly onDidChange: Event<HealthChange>;
  private readonly startRequested: Emitter<StartRequest>;
  /** Fires once when a service the extension created empty can start its tasks. */
  readonly onDidRequestStart: Event<StartRequest>;
  private fingerprints: ReadonlyMap<string, string> = new Map();
  private health: ServiceHealth | undefined;
  private problem: ServiceProblem | undefined;
  private url: string | undefined;
  private urlKey: string | undefined;
  private start: StartOffer | undefined;
  private readonly imagesFound = new Set<string>();
  private asked = false;
  private nodes: TreeNodeView[] = [];
  private status: ServiceStatus | undefined;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: HealthTrackerOptions) {
    this.name = `service ${options.service}`;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
    const report = (error: unknown) => this.log.error(`Health listener failed: ${String(error)}`);
    this.changed = new Emitter(report);
    this.onDidChange = this.changed.event;
    this.startRequested = new Emitter(report);
    this.onDidRequestStart = this.startRequested.event;
  }

  get view(): HealthView {
    return { health: this.health, problem: this.problem, url: this.url, start: this.start, nodes: this.nodes };
  }

  /** The service's state for the status bar; undefined until the first poll. */
  get serviceStatus(): ServiceStatus | undefined {
    return this.status;
  }

  /** Forgets the remembered intent to start tasks: the user answered, or started them. */
  forgetStartIntent(): void {
    this.options.startIntents?.delete(this.intentKey());
  }

  async run(): Promise<PollOutcome> {
    const { ecs, cluster, service } = this.options;
    let found;
    try {
      const described = await ecs.describeService(cluster, service);
      found =
        described.services?.find((s) => s.serviceName === service || s.serviceArn === service) ??
        described.services?.[0];
      for (const d of found?.deployments ?? []) {
        if (d.taskDefinition && !this.taskDefinitions.has(d.taskDefinition)) {
          const td = (await ecs.describeTaskDefinition(d.taskDefinition)).taskDefinition;
          if (td) {
            this.remember(d.taskDefinition, td);
          }
        }
      }
    } catch (error) {
      return this.failed(error);
    }
    // DescribeServices lists a missing service under `failures`; a deleted one stays INACTIVE for a while.
    if (!found || found.status === 'INACTIVE') {
      return this.showProblem(missingProblem('service', this.location()));
    }
    const groups = [
      ...new Set((found.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((a): a is string => !!a)),
    ];
    const targetHealth = new Map<string, readonly TargetHealthDescription[] | TargetGroupProblem>();
    for (const arn of groups) {
      targetHealth.set(arn, await this.readTargets(arn));
    }
    const health = buildServiceHealth({
      serviceName: service,
      service: found,
      taskDefinitions: this.taskDefinitions,
      targetHealth,
    });
    await this.resolveUrl(groups);
    this.start = await this.startOffer(health);
    this.problem = undefined;
    this.health = health;
    this.render();
    const active = health.verdict === 'Deploying' || (this.options.pipelineDeploying?.() ?? false);
    return { active, followedActive: false };
  }

  dispose(): void {
    this.changed.dispose();
    this.startRequested.dispose();
    this.taskDefinitions.clear();
  }

  private location(): ServiceLocation {
    return {
      account: this.options.where?.account ?? 'this account',
      region: this.options.where?.region ?? 'this region',
      cluster: this.options.cluster,
      service: this.options.service,
    };
  }

  private intentKey(): string {
    return startIntentKey(this.location());
  }

  /** Throttling and network failures go to the poller; everything else is a state shown with its fix. */
  private failed(error: unknown): PollOutcome {
    const problem = serviceProblemOf(error, this.location(), this.options.errorContext);
    if (!problem) {
      throw error;
    }
    return this.showProblem(problem);
  }

  private showProblem(problem: ServiceProblem): PollOutcome {
    if (this.problem?.message !== problem.message) {
      this.log.warn(`Service health paused until something changes: ${problem.message}`);
    }
    this.problem = problem;
    this.health = undefined;
    this.start = undefined;
    this.render();
    return { active: false, followedActive: false, paused: true };
  }

  private async readTargets(arn: string): Promise<readonly TargetHealthDescription[] | TargetGroupProblem> {
    try {
      return (await this.options.elbv2.describeTargetHealth(arn)).TargetHealthDescriptions ?? [];
    } catch (error) {
      if (pollErrorKind(error) !== 'error') {
        throw error;
      }
      if (errorCode(error) === 'TargetGroupNotFound' || errorCode(error) === 'TargetGroupNotFoundException') {
        return { kind: 'missing', message: l10n.t('target group {0} does not exist.', arn) };
      }
      const explained = this.options.errorContext ? explainAwsError(error, this.options.errorContext) : undefined;
      if (explained?.kind === 'accessDenied') {
        return { kind: 'accessDenied', message: explained.message };
      }
      throw error;
    }
  }

  /** Looked up once per set of target groups; a failure leaves the URL out and is only logged. */
  private async resolveUrl(groups: readonly string[]): Promise<void> {
    const key = groups.join(',');
    if (!this.options.serviceUrl || key === this.urlKey) {
      return;
    }
    try {
      this.url = await this.options.serviceUrl(groups);
      this.urlKey = key;
    } catch (error) {
      if (pollErrorKind(error) === 'error') {
        this.urlKey = key; // not worth asking again every poll
      }
      this.log.warn(`Could not look up where ${this.options.service} is served: ${errorText(error)}`);
    }
  }

  /**
   * For a service that runs no task: how many to start and whether their image exists. When the
   * extension created it empty and its image has now landed, asks once (onDidRequestStart). Once
   * the service runs tasks, the remembered intent is forgotten.
   */
  private async startOffer(h: ServiceHealth): Promise<StartOffer | undefined> {
    const store = this.options.startIntents;
    const intent = store?.get(this.intentKey());
    if (h.desired > 0 || h.running > 0) {
      if (intent) {
        store?.delete(this.intentKey());
      }
      return undefined;
    }
    const desired = intent?.desired ?? this.options.defaultDesiredCount;
    if (desired === undefined || desired < 1) {
      return undefined;
    }
    const primary = h.deployments.find((d) => d.status === 'PRIMARY') ?? h.deployments[0];
    const imageReady = primary?.image ? await this.imageReady(primary.image) : undefined;
    const ask = intent !== undefined && imageReady === true && !(this.options.pipelineDeploying?.() ?? false);
    if (ask && !this.asked) {
      this.asked = true;
      this.startRequested.fire({
        cluster: this.options.cluster,
        service: this.options.service,
        desired,
        image: primary?.image,
        commitId: primary?.commitId,
      });
    }
    return { desired, imageReady, ask };
  }

  private async imageReady(image: string): Promise<boolean | undefined> {
    const ecr = ecrImage(image);
    if (!ecr) {
      return true; // not in ECR (a public image): nothing to wait for
    }
    if (this.imagesFound.has(image)) {
      return true;
    }
    if (!this.options.imageExists) {
      return undefined;
    }
    try {
      const exists = await this.options.imageExists(ecr.repository, ecr.tag);
      if (exists) {
        this.imagesFound.add(image);
      }
      return exists;
    } catch (error) {
      this.log.warn(`Could not check ECR for ${image}: ${errorText(error)}`);
      return undefined;
    }
  }

  private render(): void {
    const previous = this.status;
    if (this.problem) {
      this.nodes = buildProblemTree(this.options.service, this.options.cluster, this.problem, this.options.consoleUrl);
      this.status = this.problem.kind === 'missing' ? 'Missing' : 'Unreadable';
    } else if (this.health) {
      this.nodes = buildHealthTree(this.health, this.now(), this.options.consoleUrl, {
        url: this.url,
        start: this.start,
        cluster: this.options.cluster,
      });
      this.status = this.health.verdict;
    }
    const { change, fingerprints } = diffTrees(this.fingerprints, this.nodes);
    this.fingerprints = fingerprints;
    const verdictChanged = previous !== this.status;
    if (!isEmptyChange(change) || verdictChanged) {
      this.changed.fire({ tree: change, verdictChanged });
    }
  }

  private remember(arn: string, td: TaskDefinition): void {
    this.taskDefinitions.set(arn, td);
    if (this.taskDefinitions.size > MAX_CACHED_TASK_DEFINITIONS) {
      this.taskDefinitions.delete(this.taskDefinitions.keys().next().value!);
    }
  }
}
