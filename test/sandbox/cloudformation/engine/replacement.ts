// Which property changes replace a resource, per type (CloudFormation's "Update requires" column),
// for the types the bundled templates use. Properties not listed update without replacement.

export type RequiresRecreation = 'Never' | 'Conditionally' | 'Always';

const ALWAYS: Record<string, readonly string[]> = {
  'AWS::S3::Bucket': ['BucketName', 'ObjectLockEnabled'],
  'AWS::S3::BucketPolicy': ['Bucket'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName', 'Path', 'Description'],
  'AWS::IAM::InstanceProfile': ['InstanceProfileName', 'Path'],
  'AWS::Logs::LogGroup': ['LogGroupName', 'LogGroupClass'],
  'AWS::Events::Rule': ['Name', 'EventBusName'],
  'AWS::EC2::VPC': ['CidrBlock', 'InstanceTenancy', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength'],
  'AWS::EC2::Subnet': ['AvailabilityZone', 'AvailabilityZoneId', 'CidrBlock', 'VpcId', 'Ipv6CidrBlock', 'OutpostArn'],
  'AWS::EC2::VPCGatewayAttachment': ['VpcId'],
  'AWS::EC2::RouteTable': ['VpcId'],
  'AWS::EC2::Route': ['RouteTableId', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'],
  'AWS::EC2::SubnetRouteTableAssociation': ['SubnetId'],
  'AWS::EC2::NetworkAcl': ['VpcId'],
  'AWS::EC2::NetworkAclEntry': ['Egress', 'RuleNumber', 'NetworkAclId'],
  'AWS::EC2::SubnetNetworkAclAssociation': ['SubnetId', 'NetworkAclId'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SSM::Parameter': ['Name'],
  'AWS::EC2::SecurityGroup': ['GroupName', 'GroupDescription', 'VpcId'],
  'AWS::EC2::SecurityGroupIngress': [
    'GroupId',
    'GroupName',
    'IpProtocol',
    'FromPort',
    'ToPort',
    'CidrIp',
    'CidrIpv6',
    'SourceSecurityGroupId',
    'SourceSecurityGroupName',
    'SourceSecurityGroupOwnerId',
    'SourcePrefixListId',
  ],
  'AWS::CodeCommit::Repository': [],
  'AWS::CodeBuild::Project': ['Name'],
  'AWS::CodePipeline::Pipeline': ['Name'],
  'AWS::ECR::Repository': ['RepositoryName', 'EncryptionConfiguration'],
  'AWS::ECS::Cluster': ['ClusterName'],
  'AWS::ECS::TaskDefinition': [
    'ContainerDefinitions',
    'Cpu',
    'ExecutionRoleArn',
    'Family',
    'Memory',
    'NetworkMode',
    'PlacementConstraints',
    'ProxyConfiguration',
    'RequiresCompatibilities',
    'TaskRoleArn',
    'Volumes',
    'RuntimePlatform',
    'EphemeralStorage',
    'PidMode',
    'IpcMode',
  ],
  'AWS::ECS::Service': ['Cluster', 'ServiceName', 'LaunchType', 'Role', 'SchedulingStrategy', 'DeploymentController'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name', 'Scheme', 'Type'],
  'AWS::ElasticLoadBalancingV2::TargetGroup': [
    'Name',
    'Port',
    'Protocol',
    'ProtocolVersion',
    'TargetType',
    'VpcId',
    'IpAddressType',
  ],
  'AWS::ElasticLoadBalancingV2::Listener': ['LoadBalancerArn'],
};

const CONDITIONALLY: Record<string, readonly string[]> = {
  'AWS::ECS::Service': ['LoadBalancers'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['SubnetMappings'],
};

export function requiresRecreation(type: string, property: string): RequiresRecreation {
  if (ALWAYS[type]?.includes(property)) return 'Always';
  if (CONDITIONALLY[type]?.includes(property)) return 'Conditionally';
  return 'Never';
}

/** Types with a replacement table (others are treated as update-in-place for every property). */
export function hasReplacementTable(type: string): boolean {
  return type in ALWAYS;
}
