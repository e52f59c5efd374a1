// Which capabilities a template needs: IAM resources need CAPABILITY_IAM, custom-named ones CAPABILITY_NAMED_IAM.
import { TemplateError, type ResourceDeclaration } from './types.js';

/** IAM resource types and the property that gives each a custom name. */
const IAM_TYPES: Record<string, string | undefined> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::Policy': undefined,
  'AWS::IAM::AccessKey': undefined,
  'AWS::IAM::UserToGroupAddition': undefined,
  'AWS::IAM::ServiceLinkedRole': undefined,
  'AWS::IAM::RolePolicy': undefined,
  'AWS::IAM::UserPolicy': undefined,
  'AWS::IAM::GroupPolicy': undefined,
};

export interface CapabilityNeeds {
  capabilities: string[];
  reason?: string;
}

export function requiredCapabilities(
  resources: Readonly<Record<string, ResourceDeclaration>>,
  hasTransform = false,
): CapabilityNeeds {
  const iamTypes = new Set<string>();
  let named = false;
  for (const decl of Object.values(resources)) {
    if (!(decl.Type in IAM_TYPES)) continue;
    iamTypes.add(decl.Type);
    const nameProperty = IAM_TYPES[decl.Type];
    if (nameProperty && decl.Properties?.[nameProperty] !== undefined) named = true;
  }
  const capabilities: string[] = [];
  if (iamTypes.size) capabilities.push(named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM');
  if (hasTransform) capabilities.push('CAPABILITY_AUTO_EXPAND');
  const reason = iamTypes.size
    ? `The following resource(s) require capabilities: [${[...iamTypes].join(', ')}]`
    : undefined;
  return { capabilities, reason };
}

/** Throws InsufficientCapabilitiesException unless `granted` covers what the template needs. */
export function checkCapabilities(needs: CapabilityNeeds, granted: readonly string[]): void {
  const missing = needs.capabilities.filter((c) => {
    if (granted.includes(c)) return false;
    return !(c === 'CAPABILITY_IAM' && granted.includes('CAPABILITY_NAMED_IAM'));
  });
  if (missing.length)
    throw new TemplateError(`Requires capabilities : [${missing.join(', ')}]`, 'InsufficientCapabilitiesException');
}
