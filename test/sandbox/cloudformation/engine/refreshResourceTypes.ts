// Regenerates awsResourceTypes.json, the pinned list of resource types CloudFormation knows, from the
// resource provider schemas cfn-lint ships (cfnlint/data/schemas/providers/us_east_1.py, which cfn-lint
// builds from the CloudFormation registry). Run after upgrading cfn-lint:
//   npx tsx test/sandbox/cloudformation/engine/refreshResourceTypes.ts
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const script = [
  'import json',
  'from cfnlint.version import __version__',
  'from cfnlint.data.schemas.providers import us_east_1',
  'print(json.dumps({"version": __version__, "types": sorted(us_east_1.types)}))',
].join('\n');
const out = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as {
  version: string;
  types: string[];
};
// Real types have three parts (Org::Service::Resource); cfn-lint also lists its own 'Module' placeholder.
const types = out.types.filter((t) => t.split('::').length === 3);
const file = join(__dirname, 'awsResourceTypes.json');
writeFileSync(
  file,
  `${JSON.stringify({ source: `cfn-lint ${out.version}, us-east-1 provider schemas`, types }, null, 2)}\n`,
);
console.log(`${types.length} resource types from cfn-lint ${out.version} written to ${file}`);
