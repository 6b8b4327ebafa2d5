/**
 * `Content-Encoding: aws-chunked` bodies (S3 API Reference "sigv4-streaming" and
 * "sigv4-streaming-trailers"): what modern SDKs send for stream uploads with a flexible checksum.
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n[<name>:<value>\r\n…]\r\n
 *
 * The x-amz-content-sha256 value says which: STREAMING-UNSIGNED-PAYLOAD-TRAILER (no signatures,
 * trailing checksum), STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] (signed chunks). Only the payload
 * is stored; trailers (x-amz-checksum-*) are returned for checking. Chunk signatures are parsed
 * but not verified here: the seed signature was (pipeline authenticate), the chunks need its key.
 */

export interface ChunkedBody {
  payload: Buffer;
  /** trailing headers, names lower-case (x-amz-checksum-crc32, x-amz-trailer-signature) */
  trailers: Record<string, string>;
  /** chunk-signature extension of each chunk, in order, when the chunks were signed */
  chunkSignatures: string[];
}

export class ChunkedEncodingError extends Error {}

const CRLF = Buffer.from('\r\n');

/** True when the request body is aws-chunked framing rather than the payload itself. */
export function isAwsChunked(contentEncoding: string | undefined, contentSha256: string | undefined): boolean {
  const tokens = (contentEncoding ?? '').split(',').map((t) => t.trim().toLowerCase());
  return tokens.includes('aws-chunked') || (contentSha256 ?? '').startsWith('STREAMING-');
}

/** Content-Encoding as stored: the header without its aws-chunked token (undefined if nothing is left). */
export function withoutAwsChunked(contentEncoding: string | undefined): string | undefined {
  const rest = (contentEncoding ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t && t.toLowerCase() !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

export function decodeAwsChunked(body: Buffer): ChunkedBody {
  const chunks: Buffer[] = [];
  const chunkSignatures: string[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  const line = (): string => {
    const end = body.indexOf(CRLF, pos);
    if (end < 0) throw new ChunkedEncodingError('chunk header is not terminated by CRLF');
    const text = body.toString('latin1', pos, end);
    pos = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const [sizeText = '', ...exts] = header.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText.trim())) throw new ChunkedEncodingError(`bad chunk size '${sizeText.slice(0, 32)}'`);
    const size = parseInt(sizeText.trim(), 16);
    for (const ext of exts) {
      const [k, v] = ext.split('=');
      if (k?.trim() === 'chunk-signature' && v) chunkSignatures.push(v.trim());
    }
    if (size === 0) break;
    if (pos + size + 2 > body.length) throw new ChunkedEncodingError('chunk is shorter than its declared size');
    chunks.push(body.subarray(pos, pos + size));
    pos += size;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw new ChunkedEncodingError('chunk data is not followed by CRLF');
    pos += 2;
  }
  // trailing headers up to an empty line (some senders stop at the end of the body instead)
  while (pos < body.length) {
    const t = line();
    if (t === '') break;
    const colon = t.indexOf(':');
    if (colon <= 0) throw new ChunkedEncodingError(`bad trailer '${t.slice(0, 64)}'`);
    trailers[t.slice(0, colon).trim().toLowerCase()] = t.slice(colon + 1).trim();
  }
  return { payload: Buffer.concat(chunks), trailers, chunkSignatures };
}
