// Fargate pulls ECR images and writes awslogs streams with the task definition's execution role, so
// ECS refuses, at registration, a Fargate task definition that needs that role and names none — with
// the ClientException texts AWS returns.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';
import { clientConfig } from './helpers';

let running: RunningSandbox;
let ecs: ECSClient;

before(async () => {
  running = await startSandbox({ port: 0, speed: 1_000, seed: 1, services });
  ecs = new ECSClient(clientConfig(running.endpoint));
});

after(async () => {
  ecs.destroy();
  await running.close();
});

const fargate = (container: Record<string, unknown>, executionRoleArn?: string) =>
  new RegisterTaskDefinitionCommand({
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    ...(executionRoleArn ? { executionRoleArn } : {}),
    containerDefinitions: [{ name: 'web', essential: true, image: 'public.ecr.aws/nginx/nginx:latest', ...container }],
  });

test('a Fargate task definition with an ECR image and no execution role is refused', async () => {
  await assert.rejects(ecs.send(fargate({ image: '000000000000.dkr.ecr.us-east-1.amazonaws.com/web:latest' })), {
    name: 'ClientException',
    message: 'Fargate requires task definition to have execution role ARN to support ECR images.',
  });
});

test('a Fargate task definition logging with awslogs and no execution role is refused', async () => {
  const logConfiguration = {
    logDriver: 'awslogs',
    options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web' },
  };
  await assert.rejects(ecs.send(fargate({ logConfiguration })), {
    name: 'ClientException',
    message: 'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
  });
  // With the role named, both register; a public image needs no role at all.
  const role = 'arn:aws:iam::000000000000:role/web-execution';
  const { taskDefinition } = await ecs.send(fargate({ logConfiguration }, role));
  assert.equal(taskDefinition?.executionRoleArn, role);
  assert.equal((await ecs.send(fargate({}))).taskDefinition?.revision, 2);
});
