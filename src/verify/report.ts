/**
 * What `aws cloudtrail validate-logs` prints, byte for byte (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html;
 * CLI `CloudTrailValidateLogs._write_*`, `_on_*`, `_track_found_times`): the start line, per-file
 * `valid` lines on stdout under --verbose, INVALID / not found / gap lines on stderr framed by blank
 * lines, and the summary with `Results requested/found for …` and the `N/M … files valid` ratios.
 * `Results found for` follows the installed judge, CLI 2.9.19: the start is the last valid digest
 * (in walk order) that starts after --start-time, else --start-time; the end is the first valid
 * digest's end, capped at --end-time. (Current upstream CLIs take the min/max instead, so they print
 * --start-time when the oldest digest starts exactly there; 2.9.19 prints the next digest's start.)
 * Backfill digests, which only current CLIs know, widen that range the current CLIs' way.
 */
import { formatDisplayDate as show } from './dates.ts';
import type { Digest } from './digest.ts';
import type { LogResult } from './log-files.ts';

export interface Output {
  stream: 'stdout' | 'stderr';
  text: string;
}
export interface Tally {
  valid: number;
  invalid: number;
}

export class Report {
  readonly digests: Tally = { valid: 0, invalid: 0 };
  readonly backfillDigests: Tally = { valid: 0, invalid: 0 };
  readonly logs: Tally = { valid: 0, invalid: 0 };
  readonly output: Output[] = [];
  private lastDoubleSpace = true;
  private foundStart: Date;
  private foundEnd?: Date;

  /** with `write`, output goes there as it happens; without, it is kept in `output` */
  constructor(private readonly o: { verbose: boolean; start: Date; end: Date; write?: (out: Output) => void }) {
    this.foundStart = o.start;
  }

  get failed(): boolean {
    return this.digests.invalid + this.backfillDigests.invalid + this.logs.invalid > 0;
  }

  startup(trailArn: string): void {
    this.emit('stdout', `Validating log files for trail ${trailArn} between ${show(this.o.start)} and ${show(this.o.end)}\n\n`);
  }

  digestValid(d: Digest, backfill: boolean): void {
    const end = d.endTime.getTime() < this.o.end.getTime() ? d.endTime : this.o.end;
    if (backfill) {
      // only current CLIs have the backfill pass; they widen the found range (min start, max end)
      const start = d.startTime.getTime() > this.o.start.getTime() ? d.startTime : this.o.start;
      if (start < this.foundStart) this.foundStart = start;
      if (!this.foundEnd || end > this.foundEnd) this.foundEnd = end;
    } else {
      if (d.startTime.getTime() > this.o.start.getTime()) this.foundStart = d.startTime;
      this.foundEnd ??= end;
    }
    (backfill ? this.backfillDigests : this.digests).valid++;
    this.status(`${backfill ? '(backfill) ' : ''}Digest file\ts3://${String(d.data['digestS3Bucket'])}/${String(d.data['digestS3Object'])}\tvalid`);
  }

  digestMissing(bucket: string, key: string, backfill: boolean): void {
    (backfill ? this.backfillDigests : this.digests).invalid++;
    this.status(`${backfill ? '(backfill) ' : ''}Digest file\ts3://${bucket}/${key}\tINVALID: not found`, true);
  }

  digestInvalid(message: string, backfill: boolean): void {
    (backfill ? this.backfillDigests : this.digests).invalid++;
    this.status(`${backfill ? '(backfill) ' : ''}${message}`, true);
  }

  gap(nextEnd: Date, lastStart: Date, backfill: boolean): void {
    this.status(`${backfill ? '(backfill) ' : ''}No log files were delivered by CloudTrail between ${show(nextEnd)} and ${show(lastStart)}`, true);
  }

  log(r: LogResult): void {
    const where = `Log file\ts3://${r.bucket}/${r.key}`;
    if (r.verdict === 'valid') {
      this.logs.valid++;
      this.status(`${where}\tvalid`);
      return;
    }
    this.logs.invalid++;
    const why = { hash: "hash value doesn't match", missing: 'not found', format: 'invalid format' }[r.verdict];
    this.status(`${where}\tINVALID: ${why}`, true);
  }

  summary(): void {
    if (!this.lastDoubleSpace) this.emit('stdout', '\n');
    let text = `Results requested for ${show(this.o.start)} to ${show(this.o.end)}\n`;
    const all = this.digests.valid + this.digests.invalid + this.backfillDigests.valid + this.backfillDigests.invalid;
    if (!all) {
      this.emit('stdout', `${text}No digests found\n`);
      return;
    }
    text += this.foundEnd ? `Results found for ${show(this.foundStart)} to ${show(this.foundEnd)}:\n` : 'No valid digests found in range\n';
    text += ratio(this.digests, 'digest') + ratio(this.backfillDigests, 'backfill digest') + ratio(this.logs, 'log');
    this.emit('stdout', `${text}\n`);
  }

  private status(message: string, isError = false): void {
    if (isError) {
      this.emit('stderr', this.lastDoubleSpace ? `${message}\n\n` : `\n${message}\n\n`);
      this.lastDoubleSpace = true;
    } else if (this.o.verbose) {
      this.lastDoubleSpace = false;
      this.emit('stdout', `${message}\n`);
    }
  }

  private emit(stream: Output['stream'], text: string): void {
    const out = { stream, text };
    if (this.o.write) this.o.write(out);
    else this.output.push(out);
  }
}

function ratio(t: Tally, name: string): string {
  const total = t.valid + t.invalid;
  if (!total) return '';
  return `\n${t.valid}/${total} ${name} files valid${t.invalid ? `, ${t.invalid}/${total} ${name} files INVALID` : ''}`;
}
