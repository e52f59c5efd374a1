// Systems Manager Parameter Store (awsJson1_1, AmazonSSM): PutParameter, GetParameter, GetParameters,
// DeleteParameter, DescribeParameters, with Parameter Store's shapes and errors. CloudFormation's
// SSM parameter types and the AWS::SSM::Parameter resource read and write the same store.
import { randomBytes } from 'node:crypto';
import { paginate, pageLimit } from '../core/paging';
import { AwsError, type RequestContext, type ServiceDefinition } from '../core/types';
import { str } from '../core/values';
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { ssmResourceProviders } from './provider';
import {
  findParameter,
  isPublicName,
  listParameters,
  parameterArn,
  putVersion,
  removeParameter,
  type ParameterType,
  type ParameterVersion,
} from './store';

for (const [type, provider] of Object.entries(ssmResourceProviders)) registerResourceProvider(type, provider);

const TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];
const STANDARD_MAX = 4096;
const ADVANCED_MAX = 8192;

const validation = (message: string) => new AwsError('ValidationException', message);
// Parameter Store answers a missing parameter with no message at all.
const notFound = () => new AwsError('ParameterNotFound', '');

function requireName(value: unknown, member = 'name'): string {
  const name = str(value);
  if (name === '')
    throw validation(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  if (name.length > 2048)
    throw validation(
      `1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to 2048`,
    );
  return name;
}

/** The name rules PutParameter enforces (reserved prefixes, path shape, hierarchy depth). */
function checkWritableName(name: string): void {
  const bare = name.toLowerCase().replace(/^\/+/, '');
  const isPath = name.split('/').length > 2;
  if (bare.startsWith('aws') || bare.startsWith('ssm')) {
    if (name.toLowerCase().startsWith('/aws') && isPath)
      throw new AwsError('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
    throw validation(
      isPath
        ? 'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_'
        : 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    );
  }
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name) || (name.includes('/') && !name.startsWith('/')) || name.includes('//'))
    throw validation(
      'Parameter name must be a fully qualified name. If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    );
  if (name.split('/').length - 1 > 15)
    throw new AwsError(
      'HierarchyLevelLimitExceededException',
      'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and Constraints for Parameter Names in the AWS Systems Manager User Guide.',
    );
}

/** `name`, `name:3` (a version) → the version asked for; ParameterNotFound / ParameterVersionNotFound otherwise. */
function selectVersion(ctx: RequestContext, selector: string): ParameterVersion {
  const colon = selector.lastIndexOf(':');
  const hasVersion = colon > 0 && /^\d+$/.test(selector.slice(colon + 1));
  const name = hasVersion ? selector.slice(0, colon) : selector;
  const versions = findParameter(ctx.sandbox, ctx.accountId, ctx.region, name);
  if (!versions) throw notFound();
  if (!hasVersion) return versions[versions.length - 1];
  const wanted = Number(selector.slice(colon + 1));
  const found = versions.find((v) => v.version === wanted);
  if (!found)
    throw new AwsError(
      'ParameterVersionNotFound',
      `Systems Manager could not find version ${wanted} of ${name}. Verify the version and try again.`,
    );
  return found;
}

/** A SecureString read without decryption returns ciphertext, which the sandbox makes opaque. */
function shownValue(p: ParameterVersion, decrypt: boolean): string {
  if (p.type !== 'SecureString' || decrypt) return p.value;
  return randomBytes(48 + Buffer.byteLength(p.value)).toString('base64');
}

function describeParameter(ctx: RequestContext, p: ParameterVersion, decrypt: boolean, selector?: string) {
  return {
    Name: p.name,
    Type: p.type,
    Value: shownValue(p, decrypt),
    Version: p.version,
    Selector: selector,
    LastModifiedDate: new Date(p.lastModified),
    ARN: parameterArn(ctx.accountId, ctx.region, p.name),
    DataType: p.dataType,
  };
}

function putParameter(input: Record<string, unknown>, ctx: RequestContext) {
  const name = requireName(input.Name);
  if (input.Value === undefined || input.Value === null)
    throw validation(
      "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null",
    );
  const value = str(input.Value);
  if (value === '')
    throw validation(
      "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.",
    );
  const overwrite = input.Overwrite === true;
  const tags = Array.isArray(input.Tags) ? (input.Tags as { Key: string; Value: string }[]) : undefined;
  if (overwrite && tags?.length)
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  checkWritableName(name);
  const requestedType = input.Type === undefined || input.Type === null ? undefined : str(input.Type);
  if (requestedType !== undefined && !TYPES.includes(requestedType as ParameterType))
    throw validation(
      `1 validation error detected: Value '${requestedType}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
    );
  const versions = findParameter(ctx.sandbox, ctx.accountId, ctx.region, name);
  const previous = versions?.[versions.length - 1];
  if (previous && !overwrite)
    throw new AwsError(
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
  const type = (requestedType ?? previous?.type) as ParameterType | undefined;
  if (!type) throw validation('A parameter type is required when you create a parameter.');
  const tierInput = input.Tier === undefined ? undefined : str(input.Tier);
  if (tierInput !== undefined && !['Standard', 'Advanced', 'Intelligent-Tiering'].includes(tierInput))
    throw validation(
      `1 validation error detected: Value '${tierInput}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]`,
    );
  const size = value.length;
  let tier: 'Standard' | 'Advanced' =
    tierInput === 'Advanced' || previous?.tier === 'Advanced' ? 'Advanced' : 'Standard';
  if (tierInput === 'Intelligent-Tiering' && size > STANDARD_MAX) tier = 'Advanced';
  if (size > ADVANCED_MAX)
    throw validation(
      `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${ADVANCED_MAX}`,
    );
  if (tier === 'Standard' && size > STANDARD_MAX)
    throw validation(
      'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    );
  const allowedPattern = input.AllowedPattern === undefined ? previous?.allowedPattern : str(input.AllowedPattern);
  if (allowedPattern !== undefined && !new RegExp(allowedPattern).test(value))
    throw new AwsError(
      'ParameterPatternMismatchException',
      `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
    );
  const dataType = input.DataType === undefined ? (previous?.dataType ?? 'text') : str(input.DataType);
  if (!['text', 'aws:ec2:image', 'aws:ssm:integration'].includes(dataType))
    throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  if (input.KeyId !== undefined && type !== 'SecureString')
    throw validation('KeyId is required for SecureString type parameter only.');
  const version: ParameterVersion = {
    name,
    type,
    value,
    version: (previous?.version ?? 0) + 1,
    lastModified: ctx.sandbox.clock.now().getTime(),
    lastModifiedUser: ctx.principal?.arn ?? `arn:aws:iam::${ctx.accountId}:root`,
    description: input.Description === undefined ? previous?.description : str(input.Description),
    allowedPattern,
    keyId:
      type === 'SecureString'
        ? input.KeyId === undefined
          ? (previous?.keyId ?? 'alias/aws/ssm')
          : str(input.KeyId)
        : undefined,
    dataType,
    tier,
    tags: tags ?? previous?.tags ?? [],
  };
  putVersion(ctx.sandbox, ctx.accountId, ctx.region, version);
  return { Version: version.version, Tier: tier };
}

function metadata(ctx: RequestContext, p: ParameterVersion) {
  return {
    Name: p.name,
    ARN: parameterArn(ctx.accountId, ctx.region, p.name),
    Type: p.type,
    KeyId: p.keyId,
    LastModifiedDate: new Date(p.lastModified),
    LastModifiedUser: p.lastModifiedUser,
    Description: p.description,
    AllowedPattern: p.allowedPattern,
    Version: p.version,
    Tier: p.tier,
    Policies: [],
    DataType: p.dataType,
  };
}

interface ParameterFilter {
  Key: string;
  Option?: string;
  Values?: string[];
}

function filterMatches(p: ParameterVersion, filter: ParameterFilter): boolean {
  const values = filter.Values ?? [];
  const option = filter.Option ?? 'Equals';
  switch (filter.Key) {
    case 'Name':
      return values.some((v) => {
        const target = v.startsWith('/') || !p.name.startsWith('/') ? v : `/${v}`;
        if (option === 'BeginsWith') return p.name.startsWith(target);
        if (option === 'Contains') return p.name.includes(v);
        return p.name === target;
      });
    case 'Type':
      return values.includes(p.type);
    case 'KeyId':
      return p.keyId !== undefined && values.includes(p.keyId);
    case 'Tier':
      return values.includes(p.tier);
    case 'DataType':
      return values.includes(p.dataType);
    case 'Path':
      return values.some((path) => {
        const prefix = path.endsWith('/') ? path : `${path}/`;
        if (!p.name.startsWith(prefix)) return false;
        return option === 'Recursive' || !p.name.slice(prefix.length).includes('/');
      });
    default:
      if (filter.Key.startsWith('tag:')) {
        const key = filter.Key.slice(4);
        return p.tags.some((t) => t.Key === key && (values.length === 0 || values.includes(t.Value)));
      }
      throw validation(
        `The following filter key is not valid: ${filter.Key}. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType, Label].`,
      );
  }
}

export const ssmService: ServiceDefinition = {
  signingName: 'ssm',
  protocol: 'awsJson1_1',
  targetPrefix: 'AmazonSSM',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  operations: {
    PutParameter: putParameter,

    GetParameter: (input, ctx) => {
      const selector = requireName(input.Name);
      const p = selectVersion(ctx, selector);
      const versionSuffix = selector.slice(p.name.length);
      return { Parameter: describeParameter(ctx, p, input.WithDecryption === true, versionSuffix || undefined) };
    },

    GetParameters: (input, ctx) => {
      const names = Array.isArray(input.Names) ? input.Names.map((n) => str(n)) : [];
      if (names.length < 1 || names.length > 10)
        throw validation(
          `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length ${names.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
        );
      const parameters: ReturnType<typeof describeParameter>[] = [];
      const invalid: string[] = [];
      for (const selector of names) {
        try {
          const p = selectVersion(ctx, selector);
          const suffix = selector.slice(p.name.length);
          parameters.push(describeParameter(ctx, p, input.WithDecryption === true, suffix || undefined));
        } catch (err) {
          if (!(err instanceof AwsError) || !err.code.startsWith('Parameter')) throw err;
          invalid.push(selector);
        }
      }
      return { Parameters: parameters, InvalidParameters: invalid };
    },

    DeleteParameter: (input, ctx) => {
      const name = requireName(input.Name);
      if (isPublicName(name))
        throw new AwsError('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
      if (!removeParameter(ctx.sandbox, ctx.accountId, ctx.region, name)) throw notFound();
      return {};
    },

    DescribeParameters: (input, ctx) => {
      const filters = [
        ...(Array.isArray(input.ParameterFilters) ? (input.ParameterFilters as ParameterFilter[]) : []),
        // The deprecated Filters member (Key Name/Type/KeyId, values matched exactly).
        ...(Array.isArray(input.Filters)
          ? (input.Filters as { Key: string; Values: string[] }[]).map((f) => ({ Key: f.Key, Values: f.Values }))
          : []),
      ];
      const matching = listParameters(ctx.sandbox, ctx.accountId, ctx.region).filter((p) =>
        filters.every((f) => filterMatches(p, f)),
      );
      const limit = pageLimit(input.MaxResults, 50, 50, 'maxResults');
      const page = paginate(
        matching,
        input.NextToken,
        limit,
        () => new AwsError('InvalidNextToken', 'The specified token is not valid.'),
      );
      return { Parameters: page.items.map((p) => metadata(ctx, p)), NextToken: page.nextToken };
    },
  },
};
