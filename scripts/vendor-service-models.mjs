// Copies the AWS service models the sandbox validates against out of a botocore installation
// (`botocore/data/<service>/<version>/service-2.json[.gz]`), without their documentation, into
// test/sandbox/core/models/aws/. The npm `aws-sdk` v2 package ships its models minified without
// min/max/pattern/enum, so botocore's data is the machine-readable source that keeps the constraints.
//
//   node scripts/vendor-service-models.mjs <botocore data dir>
//   e.g. node scripts/vendor-service-models.mjs "$(python3 -c 'import botocore,os;print(os.path.dirname(botocore.__file__))')/data"
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** botocore directory → API version. Keep in step with test/sandbox/core/models/catalog.ts. */
const MODELS = {
  sts: '2011-06-15',
  cloudformation: '2010-05-15',
  codecommit: '2015-04-13',
  codepipeline: '2015-07-09',
  codebuild: '2016-10-06',
  logs: '2014-03-28',
  ecr: '2015-09-21',
  ecs: '2014-11-13',
  elbv2: '2015-12-01',
  s3: '2006-03-01',
  ssm: '2014-11-06',
  secretsmanager: '2017-10-17',
  events: '2015-10-07',
  iam: '2010-05-08',
  sso: '2019-06-10',
  'sso-oidc': '2019-06-10',
};
const DROPPED = new Set(['documentation', 'documentationUrl', 'deprecatedMessage', 'examples']);

const dataDir = process.argv[2];
if (!dataDir || !existsSync(dataDir)) {
  console.error('usage: node scripts/vendor-service-models.mjs <botocore data dir>');
  process.exit(2);
}
const versionFile = join(dataDir, '..', '__init__.py');
const botocoreVersion = existsSync(versionFile)
  ? (/__version__ = '([^']+)'/.exec(readFileSync(versionFile, 'utf8'))?.[1] ?? 'unknown')
  : 'unknown';
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'sandbox', 'core', 'models', 'aws');

for (const [name, version] of Object.entries(MODELS)) {
  const base = join(dataDir, name, version, 'service-2.json');
  const text = existsSync(base) ? readFileSync(base, 'utf8') : gunzipSync(readFileSync(`${base}.gz`)).toString('utf8');
  const model = strip(JSON.parse(text));
  model.source = `botocore ${botocoreVersion} data/${name}/${version}/service-2.json`;
  writeFileSync(join(outDir, `${name}-${version}.json`), `${JSON.stringify(model)}\n`);
  console.log(`${name}-${version}.json: ${Object.keys(model.operations).length} operations`);
}

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !DROPPED.has(key))
      .map(([key, item]) => [key, strip(item)]),
  );
}
