/**
 * The MD5 digests SQS returns with a message, as AWS documents them
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation):
 * MD5OfMessageBody is the MD5 of the body's UTF-8 bytes; MD5OfMessageAttributes (and
 * MD5OfMessageSystemAttributes, the same encoding) covers the attributes sorted by name, each as
 * the 4-byte big-endian length and UTF-8 bytes of its name, then of its data type, then one
 * transport byte (1 string, 2 binary), then the length and bytes of its value. The SDKs check them.
 */
import { createHash } from 'node:crypto';

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export const md5Hex = (data: string | Uint8Array) => createHash('md5').update(data).digest('hex');

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

export function md5OfAttributes(attributes: Record<string, AttributeValue>): string {
  const parts: Buffer[] = [];
  // sorted by name as code points compare (the SDKs sort the names the same way)
  for (const name of Object.keys(attributes).sort()) {
    const v = attributes[name]!;
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')), lengthPrefixed(Buffer.from(v.DataType, 'utf8')));
    if (v.BinaryValue !== undefined) parts.push(Buffer.from([2]), lengthPrefixed(v.BinaryValue));
    else parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(v.StringValue ?? '', 'utf8')));
  }
  return md5Hex(Buffer.concat(parts));
}
