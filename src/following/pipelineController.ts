// Which pipeline the views follow, and the trackers and poller that follow it. Rebuilt when the
// connection, the stack's outputs or the pipelineName setting point somewhere else; a connection
// event that points at the same pipeline (Refresh) polls at once instead. No `vscode` here: the
// editor layer feeds it window focus and renders its events.
import type { AwsContext, ConnectionState } from '../aws/awsContext';
import type { AwsSession } from '../aws/awsSession';
import { codeBuildApi } from '../aws/codebuild';
import { codePipelineApi, type CodePipelineApi } from '../aws/codepipeline';
import { cloudFormationApi } from '../aws/cloudformation';
import { ecrApi } from '../aws/ecr';
import { ecsApi } from '../aws/ecs';
import { elbv2Api } from '../aws/elbv2';
import { explainAwsError, pollErrorKind, type ErrorContext } from '../aws/errors';
import { HealthTracker, type HealthChange, type StartRequest } from '../health/healthTracker';
import { loadBalancerUrl } from '../health/serviceUrl';
import type { StartIntentStore } from '../health/startIntent';
import { BuildFindingsCache } from '../findings/buildFindings';
import { Emitter, type Disposable, type Event } from '../shared/emitter';
import type { Logger } from '../shared/logger';
import { AdaptivePoller, type PollerOptions, type PollerStatus } from '../polling/adaptivePoller';
import { errorText } from '../shared/errorText';
import type { FollowedCommit } from '../pipeline/commitMatch';
import { consoleOrigin } from '../pipeline/consoleUrls';
import { PipelineTracker, type PipelineChange } from '../pipeline/pipelineTracker';
import { isRunning } from '../pipeline/runStatus';
import { outputValue, type PipelineTemplate } from '../workshop/pipelineTemplate';
import { WORKSHOP_TEMPLATE } from '../workshop/workshopTemplate';
import { FindingsFollower, type ExecutionFindings } from './findingsFollower';

export interface PipelineTarget {
  readonly pipelineName: string;
  readonly region: string;
  /** The pipeline is the workshop stack's own (its PipelineName output). */
  readonly fromStack: boolean;
  readonly cluster?: string;
  readonly service?: string;
}

export type PipelineSelection =
  | { readonly kind: 'none' }
  | { readonly kind: 'resolving' }
  | { readonly kind: 'noPipelines' }
  | { readonly kind: 'choose'; readonly pipelines: readonly string[] }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'tracking'; readonly target: PipelineTarget };

export type ControllerEvent =
  | { readonly kind: 'selection' }
  | { readonly kind: 'pipeline'; readonly change: PipelineChange }
  | { readonly kind: 'health'; readonly change: HealthChange }
  | { readonly kind: 'startRequest'; readonly request: StartRequest }
  | { readonly kind: 'findings'; readonly findings: ExecutionFindings | undefined }
  | { readonly kind: 'poller'; readonly status: PollerStatus };

interface Active {
  readonly key: string;
  readonly session: AwsSession;
  readonly target: PipelineTarget;
  readonly api: CodePipelineApi;
  readonly tracker: PipelineTracker;
  readonly health: HealthTracker | undefined;
  readonly findings: FindingsFollower;
  readonly poller: AdaptivePoller;
}

export interface ControllerOptions {
  readonly focused: boolean;
  /** Whose output names say what to follow; the workshop's unless told otherwise. */
  readonly template?: PipelineTemplate;
  readonly poller?: Omit<PollerOptions, 'focused' | 'log'>;
  /** Services the extension created with no tasks, to start once their image exists. */
  readonly startIntents?: StartIntentStore;
}

/** How long a push stays followed across tracker rebuilds (profile, region or pipeline changes). */
const FOLLOW_CARRY_OVER_MS = 5 * 60_000;

export class PipelineController {
  private active: Active | undefined;
  private current: PipelineSelection = { kind: 'none' };
  private focused: boolean;
  private generation = 0;
  private readonly changed: Emitter<ControllerEvent>;
  readonly onDidChange: Event<ControllerEvent>;
  private readonly subscription: Disposable;
  private pendingFollow: FollowedCommit | undefined;

  constructor(
    private readonly aws: AwsContext,
    private readonly log: Logger,
    private readonly options: ControllerOptions,
  ) {
    this.focused = options.focused;
    this.changed = new Emitter((error) => log.error(`Pipeline view update failed: ${errorText(error)}`));
    this.onDidChange = this.changed.event;
    this.subscription = aws.onDidChangeState((state) => void this.apply(state));
  }

  get selection(): PipelineSelection {
    return this.current;
  }

  get tracker(): PipelineTracker | undefined {
    return this.active?.tracker;
  }

  get health(): HealthTracker | undefined {
    return this.active?.health;
  }

  /** The findings of the followed pipeline's build reports. */
  get findings(): FindingsFollower | undefined {
    return this.active?.findings;
  }

  get api(): CodePipelineApi | undefined {
    return this.active?.api;
  }

  /** Whose credentials the followed pipeline's calls use, for failure messages. */
  get errorContext(): ErrorContext | undefined {
    return this.active?.session.config;
  }

  get target(): PipelineTarget | undefined {
    return this.active?.target;
  }

  get pollerStatus(): PollerStatus | undefined {
    return this.active?.poller.status;
  }

  /** The pipelines of the account (for the picker); undefined without a session. */
  async listPipelines(): Promise<string[] | undefined> {
    const session = this.aws.awsSession;
    return session ? (await codePipelineApi(session).listPipelines()).map((p) => p.name) : undefined;
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    this.active?.poller.setFocused(focused);
  }

  /** Polls now (after Release Change, Retry, Stop, or on Refresh), whatever backoff or pause is running. */
  async refresh(): Promise<void> {
    await this.active?.poller.refreshNow();
  }

  /** The account and region followed, for messages and the start intents. */
  get where(): { readonly account: string; readonly region: string } | undefined {
    const state = this.aws.state;
    return state.kind === 'ready' ? { account: state.where.account, region: state.where.region } : undefined;
  }

  /** The user pushed this commit: follow it (status bar, notification). */
  follow(commit: FollowedCommit): void {
    this.pendingFollow = commit;
    this.active?.tracker.follow(commit);
    void this.refresh();
  }

  /** Resolves the connection state now (activation; tests). */
  start(): Promise<void> {
    return this.apply(this.aws.state);
  }

  dispose(): void {
    this.generation++;
    this.subscription.dispose();
    this.teardown();
    this.changed.dispose();
  }

  private async apply(state: ConnectionState): Promise<void> {
    const generation = ++this.generation;
    const session = this.aws.awsSession;
    if (state.kind !== 'ready' || !session) {
      this.teardown();
      this.select({ kind: 'none' });
      return;
    }
    const outputs = (this.options.template ?? WORKSHOP_TEMPLATE).outputs;
    const stackPipeline = outputValue(state.stack, outputs.pipelineName);
    let pipelineName = this.aws.currentSettings.pipelineName ?? stackPipeline;
    const region = session.config.region;
    if (!pipelineName) {
      if (!this.active) {
        this.select({ kind: 'resolving' });
      }
      try {
        const names = (await codePipelineApi(session).listPipelines()).map((p) => p.name);
        if (generation !== this.generation) {
          return;
        }
        if (names.length === 1) {
          pipelineName = names[0];
        } else {
          this.teardown();
          this.select(names.length === 0 ? { kind: 'noPipelines' } : { kind: 'choose', pipelines: names });
          return;
        }
      } catch (error) {
        if (generation !== this.generation) {
          return;
        }
        // A denial says which permission is missing and which policy grants it.
        const message = explainAwsError(error, session.config).message;
        this.log.warn(`Could not list the pipelines: ${message}`);
        this.teardown();
        this.select({ kind: 'error', message });
        return;
      }
    }
    const fromStack = pipelineName === stackPipeline;
    let cluster = fromStack ? outputValue(state.stack, outputs.cluster) : undefined;
    let service = fromStack ? outputValue(state.stack, outputs.service) : undefined;
    const key = JSON.stringify([pipelineName, region, cluster ?? '', service ?? '', fromStack, state.where.account]);
    if (this.active && this.active.key === key && this.active.session === session) {
      // Something changed (a deploy, the settings, a refresh): look again, paused tasks included,
      // but never faster than a backoff in progress allows.
      this.active.poller.pollSoon();
      return;
    }
    const api = codePipelineApi(session);
    if (!fromStack) {
      // Another pipeline: its ECS deploy action names the service whose health to show.
      try {
        const declaration = (await api.getPipeline(pipelineName)).pipeline;
        const deploy = declaration?.stages
          ?.flatMap((s) => s.actions ?? [])
          .find((a) => a.actionTypeId?.category === 'Deploy' && a.actionTypeId.provider === 'ECS');
        cluster = deploy?.configuration?.ClusterName;
        service = deploy?.configuration?.ServiceName;
      } catch (error) {
        this.log.warn(`Could not read pipeline ${pipelineName}: ${errorText(error)}`);
      }
      if (generation !== this.generation) {
        return;
      }
    }
    this.teardown();
    this.build(
      key,
      session,
      api,
      { pipelineName, region, fromStack, cluster, service },
      { account: state.where.account, stackName: fromStack ? state.stack.name : undefined },
    );
  }

  private build(
    key: string,
    session: AwsSession,
    api: CodePipelineApi,
    target: PipelineTarget,
    { account, stackName }: { readonly account: string; readonly stackName: string | undefined },
  ): void {
    const tracker = new PipelineTracker({
      api,
      pipelineName: target.pipelineName,
      region: target.region,
      account,
      errorContext: session.config,
      notifications: () => this.aws.currentSettings.notifications,
      log: this.log,
    });
    // A rebuilt tracker keeps following a recent push, but not one from long ago (it would be
    // reported as "not picked up" again).
    if (this.pendingFollow && Date.now() - this.pendingFollow.pushedAt < FOLLOW_CARRY_OVER_MS) {
      tracker.follow(this.pendingFollow);
    } else {
      this.pendingFollow = undefined;
    }
    const serviceStack = (this.options.template ?? WORKSHOP_TEMPLATE).serviceStack;
    const elbv2 = elbv2Api(session);
    const health =
      target.cluster && target.service
        ? new HealthTracker({
            ecs: ecsApi(session),
            elbv2,
            cluster: target.cluster,
            service: target.service,
            where: { account, region: target.region },
            errorContext: session.config,
            serviceUrl: (groups) => this.serviceUrl(session, target, stackName, groups),
            imageExists: (repository, tag) => ecrApi(session).imageExists(repository, tag),
            startIntents: this.options.startIntents,
            defaultDesiredCount: serviceStack?.defaultDesiredCount,
            pipelineDeploying: () => deployRunning(tracker),
            consoleUrl: `${consoleOrigin(target.region)}/ecs/v2/clusters/${encodeURIComponent(target.cluster)}/services/${encodeURIComponent(target.service)}/health?region=${target.region}`,
            log: this.log,
          })
        : undefined;
    const poller = new AdaptivePoller(health ? [tracker, health] : [tracker], {
      classify: pollErrorKind,
      ...this.options.poller,
      focused: this.focused,
      log: this.log,
    });
    let deploySeen: string | undefined; // unknown until the first poll, which polls health too
    tracker.onDidChange((change) => {
      // The health task is polled slowly while its service is steady; when the pipeline's deploy
      // action starts or ends (or ran between two polls), poll it now so it goes fast for the
      // rollout and records its end.
      const signature = deploySignature(tracker);
      if (health && deploySeen !== undefined && signature !== deploySeen) {
        poller.pollSoon([health]);
      }
      deploySeen = signature;
      this.emit({ kind: 'pipeline', change });
    });
    health?.onDidChange((change) => {
      if (change.verdictChanged) {
        tracker.setServiceVerdict(health.serviceStatus);
      }
      this.emit({ kind: 'health', change });
    });
    health?.onDidRequestStart((request) => this.emit({ kind: 'startRequest', request }));
    poller.onDidChangeStatus((status) => {
      tracker.setRetrying(status.retry ? { reason: status.retry.reason, retryAt: status.retry.retryAt } : undefined);
      this.emit({ kind: 'poller', status });
    });
    const findings = new FindingsFollower(tracker, new BuildFindingsCache(() => codeBuildApi(session)), this.log);
    findings.onDidChange((found) => this.emit({ kind: 'findings', findings: found }));
    this.active = { key, session, target, api, tracker, health, findings, poller };
    this.log.info(
      `Following pipeline ${target.pipelineName}${health ? ` and service ${target.cluster}/${target.service}` : ''}.`,
    );
    this.select({ kind: 'tracking', target });
    poller.start();
  }

  /**
   * Where the service is served: the service stack's ServiceUrl output when the followed service is
   * that stack's, else the URL of the load balancer in front of its target group.
   */
  private async serviceUrl(
    session: AwsSession,
    target: PipelineTarget,
    stackName: string | undefined,
    groups: readonly string[],
  ): Promise<string | undefined> {
    const serviceStack = (this.options.template ?? WORKSHOP_TEMPLATE).serviceStack;
    if (serviceStack && stackName) {
      const stack = await cloudFormationApi(session).describeStack(serviceStack.stackName(stackName));
      const own =
        stack &&
        outputValue(stack, serviceStack.serviceParameter) === target.service &&
        outputValue(stack, serviceStack.clusterParameter) === target.cluster;
      const url = own ? outputValue(stack, serviceStack.urlOutput) : undefined;
      if (url) {
        return url;
      }
    }
    return loadBalancerUrl(elbv2Api(session), groups);
  }

  private teardown(): void {
    const a = this.active;
    this.active = undefined;
    if (a) {
      a.poller.dispose();
      a.findings.dispose();
      a.tracker.dispose();
      a.health?.dispose();
    }
  }

  private select(selection: PipelineSelection): void {
    this.current = selection;
    this.emit({ kind: 'selection' });
  }

  private emit(event: ControllerEvent): void {
    this.changed.fire(event);
  }
}

/** Status and last change of the pipeline's deploy actions: changes whenever one starts or ends. */
function deploySignature(tracker: PipelineTracker): string {
  const actions = tracker.view.state?.stages.flatMap((s) => s.actions.filter((a) => a.category === 'Deploy')) ?? [];
  return actions.map((a) => `${a.status}@${a.lastChange?.getTime() ?? ''}`).join(',');
}

function deployRunning(tracker: PipelineTracker): boolean {
  return (
    tracker.view.state?.stages.some((s) => s.actions.some((a) => a.category === 'Deploy' && isRunning(a.status))) ??
    false
  );
}
