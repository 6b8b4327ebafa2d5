/**
 * Amazon CloudWatch Logs (AWS JSON 1.1, target prefix `Logs_20140328`, signing name `logs`,
 * regional; docs/logs.md). Constraint violations are InvalidParameterException with AWS's
 * "N validation errors detected: …" text, as CloudWatch Logs answers them rather than the JSON
 * protocols' usual ValidationException.
 */
import { AwsError } from '../../errors/aws-error.ts';
import { jsonErrors, awsJson1_1 } from '../../protocol/aws-json/protocol.ts';
import { loadModel } from '../../protocol/model.ts';
import type { WireProtocol } from '../../protocol/wire.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';

const wire: WireProtocol = { ...awsJson1_1, errors: { ...jsonErrors, validation: (message) => new AwsError('InvalidParameterException', message, 400) } };

export const logs: ServiceDef = {
  name: 'logs',
  eventSource: 'logs.amazonaws.com',
  actionPrefix: 'logs',
  global: false,
  model: loadModel('logs'),
  wire,
  operations: handlers,
};
