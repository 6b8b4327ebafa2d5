/** A trail's CloudWatch Logs role as AWS's guide makes it (docs/trail-logs.md): trusted by CloudTrail, allowed to create its streams in the group and put events into them. */
import { CreateRoleCommand, type IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';

const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

/** Creates the role; returns its ARN. `resource` defaults to the group's streams named `<account>_CloudTrail_us-east-1…`. */
export async function cloudTrailLogsRole(iam: IAMClient, o: { roleName: string; account: string; group: string; resource?: string }): Promise<string> {
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: o.roleName,
      AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: o.roleName,
      PolicyName: 'to-logs',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: o.resource ?? `arn:aws:logs:us-east-1:${o.account}:log-group:${o.group}:log-stream:${o.account}_CloudTrail_us-east-1*`,
      }),
    }),
  );
  return role.Role?.Arn ?? '';
}
