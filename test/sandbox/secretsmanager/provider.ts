// AWS::SecretsManager::Secret: creates the secret in the sandbox's Secrets Manager; GenerateSecretString
// makes the value the way Secrets Manager does. Ref and Fn::GetAtt Id give the secret's ARN.
import { randomUUID } from 'node:crypto';
import { str } from '../core/values';
import { randomUpper } from '../cloudformation/providers/names';
import { ResourceFailure, type ResourceProvider } from '../cloudformation/providers/registry';
import { randomPassword, type PasswordOptions } from './password';
import { createSecretRecord, findSecret, removeSecret } from './store';

function handlerError(message: string): ResourceFailure {
  return new ResourceFailure(`Resource handler returned message: "${message}" (HandlerErrorCode: InvalidRequest)`);
}

/** The secret's value: SecretString, or generated from GenerateSecretString. */
function secretValue(properties: Record<string, unknown>): string | undefined {
  const generate = properties.GenerateSecretString as (PasswordOptions & Record<string, unknown>) | undefined;
  if (typeof properties.SecretString === 'string') {
    if (generate) throw handlerError("You can't specify both SecretString and GenerateSecretString");
    return properties.SecretString;
  }
  if (!generate) return undefined;
  let password: string;
  try {
    password = randomPassword(generate);
  } catch (err) {
    throw handlerError((err as Error).message);
  }
  const template = generate.SecretStringTemplate;
  const key = generate.GenerateStringKey;
  if ((template === undefined) !== (key === undefined))
    throw handlerError('You must specify both SecretStringTemplate and GenerateStringKey, or neither');
  if (template === undefined) return password;
  let object: unknown;
  try {
    object = JSON.parse(str(template));
  } catch {
    throw handlerError('SecretStringTemplate must be a valid JSON string');
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object))
    throw handlerError('SecretStringTemplate must be a JSON object');
  return JSON.stringify({ ...(object as Record<string, unknown>), [String(key)]: password });
}

export const secretsManagerResourceProviders: Record<string, ResourceProvider> = {
  'AWS::SecretsManager::Secret': {
    attributes: ['Id'],
    async create(properties, ctx) {
      const name =
        typeof properties.Name === 'string' && properties.Name !== ''
          ? properties.Name
          : `${ctx.logicalId}-${randomUpper(12)}`;
      const value = secretValue(properties);
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      const tags = Array.isArray(properties.Tags) ? (properties.Tags as { Key: string; Value: string }[]) : [];
      let secret;
      try {
        secret = createSecretRecord(ctx.sandbox, ctx.accountId, ctx.region, {
          name,
          description: typeof properties.Description === 'string' ? properties.Description : undefined,
          kmsKeyId: typeof properties.KmsKeyId === 'string' ? properties.KmsKeyId : undefined,
          tags,
          secretString: value,
        });
      } catch (err) {
        throw handlerError(`${(err as Error).message}`);
      }
      return { physicalId: secret.arn, attributes: { Id: secret.arn } };
    },
    async update(physicalId, properties, previous, ctx) {
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      const secret = findSecret(ctx.sandbox, ctx.accountId, ctx.region, physicalId);
      if (!secret) throw handlerError("Secrets Manager can't find the specified secret.");
      secret.description = typeof properties.Description === 'string' ? properties.Description : undefined;
      secret.tags = Array.isArray(properties.Tags) ? (properties.Tags as { Key: string; Value: string }[]) : [];
      const valueChanged =
        JSON.stringify(properties.SecretString) !== JSON.stringify(previous.SecretString) ||
        JSON.stringify(properties.GenerateSecretString) !== JSON.stringify(previous.GenerateSecretString);
      if (valueChanged) {
        const now = ctx.sandbox.clock.now().getTime();
        for (const v of secret.versions) v.stages = v.stages.includes('AWSCURRENT') ? ['AWSPREVIOUS'] : [];
        secret.versions.push({
          versionId: randomUUID(),
          secretString: secretValue(properties),
          created: now,
          stages: ['AWSCURRENT'],
        });
      }
      secret.lastChanged = ctx.sandbox.clock.now().getTime();
      ctx.sandbox.changed();
      return { attributes: { Id: secret.arn } };
    },
    delete(physicalId, _properties, ctx) {
      // CloudFormation deletes a stack's secret without a recovery window.
      const secret = findSecret(ctx.sandbox, ctx.accountId, ctx.region, physicalId);
      if (secret) removeSecret(ctx.sandbox, secret);
      return Promise.resolve();
    },
  },
};
