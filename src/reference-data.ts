/**
 * Reference data that tests and benchmarks read and the project never copies: AWS's SigV4 test
 * vectors (aws-c-auth), real CloudTrail records, and the AWS CLI plugin that points
 * `aws cloudtrail validate-logs`' S3 reads at a local endpoint. It lives in one directory outside
 * the checkout, named by STARTRAIL_SHARED — the same directory `npm run gen:models` reads the AWS
 * API models from; by default the directory `shared` beside the repository.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = process.env.STARTRAIL_SHARED ?? fileURLToPath(new URL('../../shared/', import.meta.url));

/** The aws-c-auth SigV4 test suite (one directory per case). */
export const SIGV4_VECTORS_DIR = join(REFERENCE_DIR, 'sigv4-vectors', 'aws-c-auth', 'v4');
/** Real CloudTrail records, one per line. */
export const RECORDS_FILE = join(REFERENCE_DIR, 'corpus', 'records-all.jsonl');
/** The AWS CLI plugin that sends validate-logs' S3 calls to LOCAL_S3_ENDPOINT (see its README). */
export const LOCAL_S3_PLUGIN_DIR = join(REFERENCE_DIR, 'tools', 'aws-cli-local-s3');
