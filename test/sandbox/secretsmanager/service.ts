// Secrets Manager (awsJson1_1, secretsmanager): CreateSecret, GetSecretValue, DescribeSecret, DeleteSecret,
// with the service's shapes and errors. The AWS::SecretsManager::Secret resource writes the same store.
import { AwsError, type RequestContext, type ServiceDefinition } from '../core/types';
import { str } from '../core/values';
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { secretsManagerResourceProviders } from './provider';
import { createSecretRecord, purgeDeleted, removeSecret, requireSecret, type Secret } from './store';

for (const [type, provider] of Object.entries(secretsManagerResourceProviders))
  registerResourceProvider(type, provider);

const DAY = 86_400_000;
const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
const markedForDeletion = () =>
  new AwsError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

function secretId(input: Record<string, unknown>): string {
  const id = str(input.SecretId);
  if (id === '')
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    );
  return id;
}

function lookup(input: Record<string, unknown>, ctx: RequestContext): Secret {
  purgeDeleted(ctx.sandbox);
  return requireSecret(ctx.sandbox, ctx.accountId, ctx.region, secretId(input));
}

function versionIdsToStages(secret: Secret): Record<string, string[]> {
  return Object.fromEntries(secret.versions.filter((v) => v.stages.length).map((v) => [v.versionId, v.stages]));
}

export const secretsManagerService: ServiceDefinition = {
  signingName: 'secretsmanager',
  protocol: 'awsJson1_1',
  targetPrefix: 'secretsmanager',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  operations: {
    CreateSecret: (input, ctx) => {
      purgeDeleted(ctx.sandbox);
      const name = str(input.Name);
      if (name === '' || name.length > 512)
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length ${name === '' ? 'greater than or equal to 1' : 'less than or equal to 512'}`,
        );
      if (!/^[A-Za-z0-9/_+=.@-]+$/.test(name))
        throw invalidParameter(
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      if (input.SecretString !== undefined && input.SecretBinary !== undefined)
        throw invalidParameter(
          "You can't specify both a binary secret value and a string secret value in the same secret.",
        );
      const secret = createSecretRecord(ctx.sandbox, ctx.accountId, ctx.region, {
        name,
        description: input.Description === undefined ? undefined : str(input.Description),
        kmsKeyId: input.KmsKeyId === undefined ? undefined : str(input.KmsKeyId),
        tags: Array.isArray(input.Tags) ? (input.Tags as { Key: string; Value: string }[]) : [],
        secretString: input.SecretString === undefined ? undefined : str(input.SecretString),
        secretBinary: input.SecretBinary === undefined ? undefined : str(input.SecretBinary),
        versionId: input.ClientRequestToken === undefined ? undefined : str(input.ClientRequestToken),
      });
      return { ARN: secret.arn, Name: secret.name, VersionId: secret.versions[0]?.versionId };
    },

    GetSecretValue: (input, ctx) => {
      const secret = lookup(input, ctx);
      if (secret.deletionDate !== undefined) throw markedForDeletion();
      const stage = input.VersionStage === undefined ? undefined : str(input.VersionStage);
      const versionId = input.VersionId === undefined ? undefined : str(input.VersionId);
      const version = versionId
        ? secret.versions.find((v) => v.versionId === versionId)
        : secret.versions.find((v) => v.stages.includes(stage ?? 'AWSCURRENT'));
      if (!version)
        throw new AwsError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage ?? 'AWSCURRENT'}`}`,
        );
      if (stage && versionId && !version.stages.includes(stage))
        throw new AwsError(
          'InvalidRequestException',
          'You provided a VersionStage that is not associated to the provided VersionId.',
        );
      secret.lastAccessed = ctx.sandbox.clock.now().getTime();
      ctx.sandbox.changed();
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.secretString,
        SecretBinary: version.secretBinary,
        VersionStages: version.stages,
        CreatedDate: new Date(version.created),
      };
    },

    DescribeSecret: (input, ctx) => {
      const secret = lookup(input, ctx);
      // Secrets Manager reports the last access by day (the date, no time).
      const accessed =
        secret.lastAccessed === undefined ? undefined : new Date(Math.floor(secret.lastAccessed / DAY) * DAY);
      return {
        ARN: secret.arn,
        Name: secret.name,
        Description: secret.description,
        KmsKeyId: secret.kmsKeyId,
        LastChangedDate: new Date(secret.lastChanged),
        LastAccessedDate: accessed,
        DeletedDate: secret.deletionDate === undefined ? undefined : new Date(secret.lastChanged),
        Tags: secret.tags.length ? secret.tags : undefined,
        VersionIdsToStages: versionIdsToStages(secret),
        CreatedDate: new Date(secret.created),
      };
    },

    DeleteSecret: (input, ctx) => {
      const secret = lookup(input, ctx);
      const force = input.ForceDeleteWithoutRecovery === true;
      const hasWindow = input.RecoveryWindowInDays !== undefined && input.RecoveryWindowInDays !== null;
      if (force && hasWindow)
        throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
      const days = hasWindow ? Number(input.RecoveryWindowInDays) : 30;
      if (!Number.isInteger(days) || days < 7 || days > 30)
        throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
      if (secret.deletionDate !== undefined && !force) throw markedForDeletion();
      const now = ctx.sandbox.clock.now().getTime();
      if (force) {
        removeSecret(ctx.sandbox, secret);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(now) };
      }
      secret.deletionDate = now + days * DAY;
      secret.lastChanged = now;
      ctx.sandbox.changed();
      return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(secret.deletionDate) };
    },
  },
};
