// CloudFormation stack statuses, sorted by what a deploy has to do about them.

export type StackSituation =
  | { kind: 'absent' } // never created, deleted, or only a REVIEW_IN_PROGRESS shell
  | { kind: 'updatable' } // a stable state an update change set can start from
  | { kind: 'inProgress' } // an operation is running: attach and wait
  | { kind: 'rollbackComplete' } // a failed create: can only be deleted
  | { kind: 'updateRollbackFailed' } // needs ContinueUpdateRollback
  | { kind: 'failed'; reason: string }; // e.g. DELETE_FAILED: needs the user

export function stackSituation(status: string | undefined): StackSituation {
  if (status === undefined || status === 'DELETE_COMPLETE' || status === 'REVIEW_IN_PROGRESS') {
    return { kind: 'absent' };
  }
  if (status === 'ROLLBACK_COMPLETE') {
    return { kind: 'rollbackComplete' };
  }
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    return { kind: 'updateRollbackFailed' };
  }
  if (status.endsWith('_IN_PROGRESS')) {
    return { kind: 'inProgress' };
  }
  if (
    [
      'CREATE_COMPLETE',
      'UPDATE_COMPLETE',
      'UPDATE_ROLLBACK_COMPLETE',
      'IMPORT_COMPLETE',
      'IMPORT_ROLLBACK_COMPLETE',
    ].includes(status)
  ) {
    return { kind: 'updatable' };
  }
  return { kind: 'failed', reason: `The stack is in ${status}` };
}

export function isTerminal(status: string): boolean {
  return !status.endsWith('_IN_PROGRESS');
}

/** A terminal status that means the operation did what was asked. */
export function isSuccess(status: string): boolean {
  return ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE', 'IMPORT_COMPLETE'].includes(status);
}

/** Failure statuses of a single resource or of the stack. */
export function isFailureStatus(status: string): boolean {
  return status.endsWith('_FAILED');
}
