// The deploy state machine: template → change set → preview → execute → wait, with recovery for
// every stack status a workshop account can be left in. No editor code: the caller supplies the
// CloudFormation API, a clock and a reporter (the VS Code command, a CLI, or a test).
import * as l10n from '@vscode/l10n';
import { deniedText, parseAccessDenied } from '../aws/accessDenied';
import { errorCode } from '../aws/errors';
import { errorText } from '../shared/errorText';
import type {
  CloudFormationApi,
  ChangeSetDescription,
  ParameterInput,
  ResourceChange,
  StackDescription,
} from '../aws/cloudformation';
import type { Clock } from './clock';
import { abortError, isAbort } from './clock';
import { findRootCause, StackEventTail, type RootCause } from './stackEvents';
import { isSuccess, stackSituation } from './stackStatus';
import { waitForStack, type WaitOptions, type WaitReporter } from './stackWaiter';

export interface DeployRequest {
  stackName: string;
  templateBody: string;
  parameters: ParameterInput[];
  capabilities?: string[];
}

export type Recovery = 'deleteAndRecreate' | 'continueRollback' | 'none';

export interface DeployReporter extends WaitReporter {
  phase(text: string): void;
  /** Shows the change set; resolve true to execute it. `type` lets a setting skip the question for a first create. */
  confirmChanges(changes: ResourceChange[], type: 'CREATE' | 'UPDATE'): Promise<boolean>;
  /** The stack cannot be deployed as it is; resolve with the recovery the user chose. */
  chooseRecovery(stack: StackDescription, offered: Recovery): Promise<Recovery>;
  /** The change set was executed: from here on the stack exists and is changing. */
  executed?(stackId: string): void;
}

export type DeployOutcome =
  | { kind: 'succeeded'; stack: StackDescription; created: boolean }
  | { kind: 'upToDate'; stack: StackDescription }
  | { kind: 'failed'; message: string; stack: StackDescription | undefined; rootCause: RootCause | undefined }
  /** The user declined the preview; `message` says what was cleaned up (or left). */
  | { kind: 'declined'; message?: string }
  /** Cancelled before anything ran in AWS; `message` says what was cleaned up (or left). */
  | { kind: 'cancelled'; message: string }
  | { kind: 'detached'; stackId: string; status: string | undefined };

/**
 * A step failed and the change set created for it could not be deleted either. `note` says what was
 * left in AWS; the next deploy removes it (a REVIEW_IN_PROGRESS stack counts as absent).
 */
export class ChangeSetLeftError extends Error {
  override readonly name = 'ChangeSetLeftError';
  constructor(
    override readonly cause: unknown,
    readonly note: string,
  ) {
    super(`${cause instanceof Error ? cause.message : String(cause)} ${note}`);
  }
}

const EMPTY_CHANGE_SET = /didn't contain changes|No updates are to be performed/i;
const CHANGE_SET_POLL_MS = 1000;

export class DeployEngine {
  constructor(
    private readonly api: CloudFormationApi,
    private readonly clock: Clock,
    private readonly waitOptions: WaitOptions = {},
  ) {}

  async deploy(request: DeployRequest, reporter: DeployReporter, signal?: AbortSignal): Promise<DeployOutcome> {
    const { stackName } = request;
    let stack: StackDescription | undefined;
    // Whether something this deploy asked for goes on in AWS (a recovery delete or rollback): from
    // then on a cancel stops watching instead of undoing.
    let started = false;
    try {
      reporter.phase(l10n.t('Validating the template'));
      const validation = await this.api.validateTemplate(request.templateBody, signal);
      const capabilities = request.capabilities ?? union(['CAPABILITY_NAMED_IAM'], validation.capabilities);

      // Bring the stack to a state a change set can start from, with the user's consent.
      for (let attempt = 0; ; attempt++) {
        checkpoint(signal);
        stack = await this.api.describeStack(stackName, signal);
        const situation = stackSituation(stack?.status);
        if (situation.kind === 'absent' || situation.kind === 'updatable') {
          break;
        }
        if (attempt >= 3) {
          return failed(
            l10n.t('Stack {0} is still in {1}.', stackName, stack?.status ?? l10n.t('an unexpected state')),
            stack,
            undefined,
          );
        }
        if (situation.kind === 'inProgress') {
          reporter.phase(l10n.t('Waiting for the running {0} to finish', stack!.status));
          const waited = await this.follow(stack!, reporter, signal);
          if (waited.kind !== 'done') {
            return waited.outcome;
          }
          continue;
        }
        const offered: Recovery =
          situation.kind === 'rollbackComplete'
            ? 'deleteAndRecreate'
            : situation.kind === 'updateRollbackFailed'
              ? 'continueRollback'
              : 'none';
        const choice = await reporter.chooseRecovery(stack!, offered);
        if (choice === 'none' || choice !== offered) {
          return failed(
            situation.kind === 'failed'
              ? l10n.t('{0}; fix it in the CloudFormation console, then deploy again.', situation.reason)
              : l10n.t('Stack {0} is in {1} and was left as it is.', stackName, stack!.status),
            stack,
            undefined,
          );
        }
        checkpoint(signal);
        const onStarted = (): void => void (started = true);
        const recovered = await (choice === 'deleteAndRecreate'
          ? this.deleteAndWait(stack!, reporter, signal, onStarted)
          : this.continueRollbackAndWait(stack!, reporter, signal, onStarted));
        if (recovered.kind !== 'succeeded') {
          return recovered;
        }
        started = false; // the recovery is over: what follows starts afresh
      }

      const type = stack && stackSituation(stack.status).kind === 'updatable' ? 'UPDATE' : 'CREATE';
      return await this.changeSet(request, type, capabilities, reporter, signal);
    } catch (error) {
      if (isAbort(error) && !started) {
        return { kind: 'cancelled', message: l10n.t('Deploy of {0} cancelled; nothing was changed.', stackName) };
      }
      if (stopsWatching(error)) {
        return { kind: 'detached', stackId: stack?.id ?? stackName, status: stack?.status };
      }
      throw error;
    }
  }

  /**
   * Deletes the stack and waits until it is gone (DELETE_COMPLETE) or failed. Cancelled before
   * DeleteStack is sent, it rejects with an AbortError and the stack is untouched; after, it detaches.
   */
  async deleteAndWait(
    stack: StackDescription,
    reporter: DeployReporter | WaitReporter,
    signal?: AbortSignal,
    onStarted?: () => void,
  ): Promise<DeployOutcome> {
    const tail = await this.tailOf(stack.id, signal);
    if ('phase' in reporter) {
      reporter.phase(l10n.t('Deleting stack {0}', stack.name));
    }
    checkpoint(signal);
    await this.api.deleteStack(stack.id);
    onStarted?.();
    return this.outcomeOf(await this.waitOrDetach(tail, stack.name, reporter, signal), tail, stack.name, false);
  }

  private async continueRollbackAndWait(
    stack: StackDescription,
    reporter: DeployReporter,
    signal: AbortSignal | undefined,
    onStarted: () => void,
  ): Promise<DeployOutcome> {
    const tail = await this.tailOf(stack.id, signal);
    reporter.phase(l10n.t('Continuing the rollback of {0}', stack.name));
    checkpoint(signal);
    await this.api.continueUpdateRollback(stack.name);
    onStarted();
    const outcome = this.outcomeOf(
      await this.waitOrDetach(tail, stack.name, reporter, signal),
      tail,
      stack.name,
      false,
    );
    // UPDATE_ROLLBACK_COMPLETE is the goal here, even though it is not a "success" status.
    if (outcome.kind === 'failed' && outcome.stack?.status === 'UPDATE_ROLLBACK_COMPLETE') {
      return { kind: 'succeeded', stack: outcome.stack, created: false };
    }
    return outcome;
  }

  private async changeSet(
    request: DeployRequest,
    type: 'CREATE' | 'UPDATE',
    capabilities: string[],
    reporter: DeployReporter,
    signal: AbortSignal | undefined,
  ): Promise<DeployOutcome> {
    reporter.phase(
      type === 'CREATE' ? l10n.t('Creating a change set for the new stack') : l10n.t('Creating a change set'),
    );
    checkpoint(signal);
    // Not aborted mid-flight: cut off, it might still create a change set nobody would delete.
    const created = await this.api.createChangeSet({
      stackName: request.stackName,
      changeSetName: `workshop-pipeline-${this.clock.now()}`,
      type,
      templateBody: request.templateBody,
      parameters: request.parameters,
      capabilities,
      description: l10n.t('Created by the Workshop Pipeline extension'),
    });
    const cleanUp = (): Promise<string> => this.discard(created.id, created.stackId, request.stackName, type);
    let outcome: DeployOutcome | undefined;
    try {
      checkpoint(signal);
      const changeSet = await this.waitForChangeSet(created.id, signal);
      if (changeSet.status === 'FAILED') {
        if (EMPTY_CHANGE_SET.test(changeSet.statusReason ?? '')) {
          const stack = await this.api.describeStack(created.stackId, signal);
          outcome = stack
            ? { kind: 'upToDate', stack }
            : failed(l10n.t('The stack disappeared while checking for changes.'), undefined, undefined);
        } else {
          outcome = failed(
            l10n.t('The change set failed: {0}', changeSet.statusReason ?? l10n.t('no reason given')),
            undefined,
            undefined,
          );
        }
      } else if (!(await reporter.confirmChanges(changeSet.changes, type))) {
        outcome = { kind: 'declined' };
      } else {
        checkpoint(signal);
        const tail = await this.tailOf(created.stackId, signal);
        reporter.phase(
          type === 'CREATE'
            ? l10n.t('Creating stack {0}', request.stackName)
            : l10n.t('Updating stack {0}', request.stackName),
        );
        // The last moment a cancel can still mean "nothing happens".
        checkpoint(signal);
        await this.api.executeChangeSet(created.id);
        reporter.executed?.(created.stackId);
        return this.outcomeOf(
          await this.waitOrDetach(tail, request.stackName, reporter, signal),
          tail,
          request.stackName,
          type === 'CREATE',
        );
      }
    } catch (error) {
      // Not executed: the change set (and a new stack's empty shell) goes, whatever went wrong.
      let cleaned: string;
      try {
        cleaned = await cleanUp();
      } catch (cleanupError) {
        if (isAbort(error)) {
          return {
            kind: 'cancelled',
            message: l10n.t('Deploy of {0} cancelled. {1}', request.stackName, leftNote(cleanupError)),
          };
        }
        throw new ChangeSetLeftError(error, leftNote(cleanupError));
      }
      if (isAbort(error)) {
        return {
          kind: 'cancelled',
          message: l10n.t('Deploy of {0} cancelled before the change set ran. {1}', request.stackName, cleaned),
        };
      }
      throw error;
    }
    try {
      const cleaned = await cleanUp();
      return outcome.kind === 'declined' ? { kind: 'declined', message: cleaned } : outcome;
    } catch (cleanupError) {
      if (outcome.kind === 'failed') {
        return { ...outcome, message: `${outcome.message} ${leftNote(cleanupError)}` };
      }
      // Declined or up to date: nothing changed, but the user must know what was left behind.
      return outcome.kind === 'declined' ? { kind: 'declined', message: leftNote(cleanupError) } : outcome;
    }

    function leftNote(cleanupError: unknown): string {
      return l10n.t(
        'Its change set {0} could not be deleted ({1}){2}; the next deploy cleans {3} up.',
        changeSetName(created.id),
        errorText(cleanupError),
        type === 'CREATE' ? l10n.t(', so stack {0} is left in REVIEW_IN_PROGRESS with it', request.stackName) : '',
        type === 'CREATE' ? 'them' : 'it',
      );
    }
  }

  /** A tail positioned after the events already in the stream, so only the coming operation is reported. */
  private async tailOf(stackId: string, signal: AbortSignal | undefined): Promise<StackEventTail> {
    const tail = new StackEventTail(this.api, stackId);
    await tail.prime(signal);
    return tail;
  }

  /**
   * Removes a change set that will not run — and for a create, the empty REVIEW_IN_PROGRESS stack it
   * made. Resolves with what was removed; rejects when something could not be. Never aborted: it is
   * what a cancel relies on.
   */
  private async discard(
    changeSetId: string,
    stackId: string,
    stackName: string,
    type: 'CREATE' | 'UPDATE',
  ): Promise<string> {
    try {
      await this.api.deleteChangeSet(changeSetId);
    } catch (error) {
      if (errorCode(error) !== 'ChangeSetNotFoundException' && errorCode(error) !== 'ChangeSetNotFound') {
        throw error;
      }
    }
    if (type === 'CREATE') {
      const stack = await this.api.describeStack(stackId);
      if (stack?.status === 'REVIEW_IN_PROGRESS') {
        await this.api.deleteStack(stackId);
        return l10n.t(
          'Change set {0} and the empty stack {1} it made were deleted; nothing was changed.',
          changeSetName(changeSetId),
          stackName,
        );
      }
    }
    return l10n.t('Change set {0} was deleted; nothing was changed.', changeSetName(changeSetId));
  }

  private async waitForChangeSet(id: string, signal: AbortSignal | undefined): Promise<ChangeSetDescription> {
    for (;;) {
      const changeSet = await this.api.describeChangeSet(id, signal);
      if (changeSet.status === 'CREATE_COMPLETE' || changeSet.status === 'FAILED') {
        return changeSet;
      }
      await this.clock.sleep(CHANGE_SET_POLL_MS, signal);
    }
  }

  /** Attaches to an operation someone else started and waits for it. */
  private async follow(
    stack: StackDescription,
    reporter: DeployReporter,
    signal: AbortSignal | undefined,
  ): Promise<{ kind: 'done' } | { kind: 'stopped'; outcome: DeployOutcome }> {
    const tail = await this.tailOf(stack.id, signal);
    const final = await this.waitOrDetach(tail, stack.name, reporter, signal);
    return 'detached' in final
      ? { kind: 'stopped', outcome: { kind: 'detached', stackId: stack.id, status: final.status } }
      : { kind: 'done' };
  }

  private async waitOrDetach(
    tail: StackEventTail,
    stackName: string,
    reporter: WaitReporter,
    signal: AbortSignal | undefined,
  ): Promise<StackDescription | { detached: true; status: string | undefined }> {
    try {
      return await waitForStack(this.api, tail, stackName, this.clock, reporter, signal, this.waitOptions);
    } catch (error) {
      if (stopsWatching(error)) {
        const status = tail.events.filter((e) => e.resourceType === 'AWS::CloudFormation::Stack').at(-1)?.status;
        return { detached: true, status };
      }
      throw error;
    }
  }

  private outcomeOf(
    final: StackDescription | { detached: true; status: string | undefined },
    tail: StackEventTail,
    stackName: string,
    created: boolean,
  ): DeployOutcome {
    if ('detached' in final) {
      return { kind: 'detached', stackId: tail.stackId, status: final.status };
    }
    if (isSuccess(final.status)) {
      return { kind: 'succeeded', stack: final, created };
    }
    const rootCause = findRootCause(tail.events, stackName);
    // A resource CloudFormation could not create with the caller's permissions: name the permission.
    const denied = rootCause && parseAccessDenied(rootCause.reason);
    const message = rootCause
      ? `${rootCause.logicalId} (${rootCause.resourceType}) ${rootCause.status}: ${rootCause.reason}${denied ? ` ${deniedText(denied)}` : ''}`
      : l10n.t(
          'Stack {0} ended in {1}{2}',
          stackName,
          final.status,
          final.statusReason ? `: ${final.statusReason}` : '',
        );
    return failed(message, final, rootCause);
  }
}

/**
 * Errors after which the operation goes on in AWS but we stop watching it: the user cancelled, or
 * the settings changed and the session was replaced (src/aws/awsSession.ts SessionReplacedError).
 */
function stopsWatching(error: unknown): boolean {
  return isAbort(error) || (error instanceof Error && error.name === 'SessionReplacedError');
}

/** Throws an AbortError when the user cancelled: called at every step boundary. */
function checkpoint(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw abortError();
  }
}

/** The name part of a change set ARN (`arn:…:changeSet/<name>/<id>`), or the id as given. */
function changeSetName(id: string): string {
  return /:changeSet\/([^/]+)\//.exec(id)?.[1] ?? id;
}

function failed(message: string, stack: StackDescription | undefined, rootCause: RootCause | undefined): DeployOutcome {
  return { kind: 'failed', message, stack, rootCause };
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
