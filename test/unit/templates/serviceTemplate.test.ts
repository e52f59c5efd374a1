import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplate, policyStatements, resourcesOfType, type Obj } from './templateHelpers';

const { body, template } = loadTemplate('service');
const pipeline = loadTemplate('pipeline').template;
const only = (type: string) => {
  const found = resourcesOfType(template, type);
  assert.equal(found.length, 1, type);
  return found[0];
};

describe('service.yaml', () => {
  it('creates a VPC with two public subnets in different AZs only when no subnets are given', () => {
    assert.deepEqual(template.Conditions?.CreateVpc, {
      'Fn::Equals': [{ 'Fn::Join': [',', { Ref: 'SubnetIds' }] }, ''],
    });
    const subnets = resourcesOfType(template, 'AWS::EC2::Subnet');
    assert.equal(subnets.length, 2);
    assert.deepEqual(
      subnets.map(([, s]) => s.AvailabilityZone),
      [0, 1].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })),
    );
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::InternetGateway', 'AWS::EC2::Route']) {
      for (const [name] of resourcesOfType(template, type))
        assert.equal(template.Resources[name].Condition, 'CreateVpc', name);
    }
    assert.ok(
      template.Rules?.SubnetsWithVpc && template.Rules.VpcWithSubnets,
      'VpcId and SubnetIds are checked together',
    );
  });

  it('runs a Fargate service with the deployment circuit breaker and rollback behind the load balancer', () => {
    const [, service] = only('AWS::ECS::Service');
    assert.equal(service.LaunchType, 'FARGATE');
    assert.deepEqual((service.DeploymentConfiguration as Obj).DeploymentCircuitBreaker, {
      Enable: true,
      Rollback: true,
    });
    assert.deepEqual(service.ServiceName, { Ref: 'ServiceName' });
    const [lb] = service.LoadBalancers as Obj[];
    assert.deepEqual(lb, {
      ContainerName: { Ref: 'ContainerName' },
      ContainerPort: { Ref: 'ContainerPort' },
      TargetGroupArn: { Ref: 'TargetGroup' },
    });
    assert.ok(service.HealthCheckGracePeriodSeconds);
    const [, task] = only('AWS::ECS::TaskDefinition');
    assert.deepEqual(task.RequiresCompatibilities, ['FARGATE']);
    const [container] = task.ContainerDefinitions as Obj[];
    assert.deepEqual(container.Name, { Ref: 'ContainerName' });
    assert.equal((container.LogConfiguration as Obj).LogDriver, 'awslogs');
  });

  it('health-checks /health through an internet-facing ALB', () => {
    const [, alb] = only('AWS::ElasticLoadBalancingV2::LoadBalancer');
    assert.equal(alb.Scheme, 'internet-facing');
    const [, tg] = only('AWS::ElasticLoadBalancingV2::TargetGroup');
    assert.deepEqual(tg.HealthCheckPath, { Ref: 'HealthCheckPath' });
    assert.equal(template.Parameters?.HealthCheckPath.Default, '/health');
    assert.equal(tg.TargetType, 'ip');
  });

  it('lets the internet reach only the ALB on port 80, and only the ALB reach the tasks', () => {
    const alb = template.Resources.LoadBalancerSecurityGroup.Properties as Obj;
    assert.deepEqual(
      (alb.SecurityGroupIngress as Obj[]).map((r) => [r.FromPort, r.ToPort, r.CidrIp]),
      [[80, 80, '0.0.0.0/0']],
    );
    const tasks = template.Resources.TaskSecurityGroup.Properties as Obj;
    const ingress = tasks.SecurityGroupIngress as Obj[];
    assert.equal(ingress.length, 1);
    assert.deepEqual(ingress[0].SourceSecurityGroupId, { Ref: 'LoadBalancerSecurityGroup' });
    assert.equal(ingress[0].CidrIp, undefined);
    assert.ok(!/0\.0\.0\.0\/0/.test(JSON.stringify(tasks)));
  });

  it('keeps logs for a limited time and grants the tasks only pull and log access', () => {
    const [, logs] = only('AWS::Logs::LogGroup');
    assert.deepEqual(logs.RetentionInDays, { Ref: 'LogRetentionInDays' });
    for (const s of policyStatements(template).filter((x) => x.Effect === 'Allow')) {
      for (const action of s.Action) assert.ok(!action.includes('*'), `${s.where}: ${action}`);
      if (s.Resource.includes('*')) assert.deepEqual(s.Action, ['ecr:GetAuthorizationToken'], s.where);
    }
  });

  it('has the outputs the extension reads', () => {
    for (const name of ['ServiceUrl', 'ClusterName', 'ServiceName', 'TargetGroupArn', 'LoadBalancerArn']) {
      assert.ok(template.Outputs?.[name]?.Value, name);
    }
  });

  it('constrains, describes, groups and labels every parameter', () => {
    const parameters = Object.entries(template.Parameters ?? {});
    const ui = template.Metadata?.['AWS::CloudFormation::Interface'] as {
      ParameterGroups: { Parameters: string[] }[];
      ParameterLabels: Record<string, { default: string }>;
    };
    assert.deepEqual(ui.ParameterGroups.flatMap((g) => g.Parameters).sort(), parameters.map(([n]) => n).sort());
    for (const [name, p] of parameters) {
      assert.ok(p.Description && p.Default !== undefined && ui.ParameterLabels[name]?.default, name);
      assert.ok(
        (p.AllowedPattern && p.ConstraintDescription) ||
          p.AllowedValues ||
          (p.MinValue !== undefined && p.MaxValue !== undefined),
        name,
      );
    }
  });

  it('lines its defaults up with the pipeline template', () => {
    for (const name of [
      'ClusterName',
      'ServiceName',
      'ContainerName',
      'ContainerPort',
      'HealthCheckPath',
      'EcrRepositoryName',
      'LogRetentionInDays',
    ]) {
      assert.ok(template.Parameters?.[name], `service.yaml has ${name}`);
      assert.equal(template.Parameters[name].Default, pipeline.Parameters?.[name]?.Default, name);
    }
    assert.equal(template.Parameters?.ClusterName.Default, 'ModernizationCluster');
    assert.equal(template.Parameters?.ServiceName.Default, 'ModernService');
  });

  it("fits CloudFormation's 51,200-byte limit for inline template bodies", () => {
    assert.ok(Buffer.byteLength(body, 'utf8') < 51_200);
  });
});
