/** Input and parsed-credential shapes of the server-side SigV4 verifier (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */

export interface SignedRequest {
  method: string;
  /** Path as received on the wire, percent-encoded, without query. */
  rawPath: string;
  /** Query string as received (no leading '?'), '' if none. */
  rawQuery: string;
  /** node's IncomingMessage.headers (lower-case names); arrays (e.g. `headersDistinct`) are comma-joined. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Auth {
  kind: 'header' | 'query';
  accessKeyId: string;
  /** yyyymmdd */
  scopeDate: string;
  region: string;
  service: string;
  /** Lower-case, as listed. */
  signedHeaders: string[];
  signature: string;
  /** From X-Amz-Date (header or query) or the Date header. */
  requestTime: Date;
  /** The YYYYMMDDTHHMMSSZ string signed. */
  amzDate: string;
  /** X-Amz-Security-Token header or query param. */
  securityToken?: string;
  /** Presigned only. */
  expiresSeconds?: number;
}
