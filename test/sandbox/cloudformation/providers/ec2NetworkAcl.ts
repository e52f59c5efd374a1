// Record-only network ACLs (the sandbox has no EC2 service): the ACL, its entries and subnet
// associations, with EC2's rule-number and duplicate-entry checks.
import { cfnState } from '../state.js';
import { ec2Id } from './names.js';
import { recordOnlyProvider } from './recordOnly.js';
import { ResourceFailure, type ProviderContext, type ResourceProvider } from './registry.js';

function ec2Error(message: string, code: string): ResourceFailure {
  return new ResourceFailure(
    `Resource handler returned message: "${message} (Service: Ec2, Status Code: 400)" (HandlerErrorCode: ${code})`,
  );
}

const entryKey = (p: Record<string, unknown>) =>
  `${String(p.NetworkAclId)}|${Number(p.RuleNumber)}|${p.Egress === true || p.Egress === 'true' ? 'egress' : 'ingress'}`;

const entryRecords = recordOnlyProvider({
  type: 'AWS::EC2::NetworkAclEntry',
  attributes: ['Id'],
  createMs: 2_000,
  deleteMs: 2_000,
  physicalId: () => ec2Id('aclentry'),
  attributeValues: (id) => ({ Id: id }),
});

function checkEntry(properties: Record<string, unknown>, ctx: ProviderContext, self?: string): void {
  const rule = Number(properties.RuleNumber);
  if (!Number.isInteger(rule) || rule < 1 || rule > 32766)
    throw ec2Error(`Invalid rule number ${String(properties.RuleNumber)}. Valid range is 1-32766.`, 'InvalidRequest');
  if (properties.RuleAction !== 'allow' && properties.RuleAction !== 'deny')
    throw ec2Error(
      `Invalid value '${String(properties.RuleAction)}' for ruleAction. Valid values are allow and deny.`,
      'InvalidRequest',
    );
  const taken = Object.entries(cfnState(ctx.sandbox).records['AWS::EC2::NetworkAclEntry'] ?? {}).some(
    ([id, r]) => id !== self && entryKey(r.properties) === entryKey(properties),
  );
  if (taken) throw ec2Error(`The network acl entry identified by ${rule} already exists.`, 'AlreadyExists');
}

export const ec2NetworkAclProviders: Record<string, ResourceProvider> = {
  'AWS::EC2::NetworkAcl': recordOnlyProvider({
    type: 'AWS::EC2::NetworkAcl',
    attributes: ['Id'],
    createMs: 3_000,
    deleteMs: 2_000,
    physicalId: () => ec2Id('acl'),
    attributeValues: (id) => ({ Id: id }),
  }),
  'AWS::EC2::NetworkAclEntry': {
    attributes: entryRecords.attributes,
    create(properties, ctx) {
      checkEntry(properties, ctx);
      return entryRecords.create(properties, ctx);
    },
    update(physicalId, properties, previous, ctx) {
      checkEntry(properties, ctx, physicalId);
      return entryRecords.update(physicalId, properties, previous, ctx);
    },
    delete: (physicalId, properties, ctx) => entryRecords.delete(physicalId, properties, ctx),
  },
  'AWS::EC2::SubnetNetworkAclAssociation': recordOnlyProvider({
    type: 'AWS::EC2::SubnetNetworkAclAssociation',
    attributes: ['AssociationId'],
    createMs: 2_000,
    deleteMs: 2_000,
    physicalId: () => ec2Id('aclassoc'),
    attributeValues: (id) => ({ AssociationId: id }),
  }),
};
