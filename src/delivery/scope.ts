/**
 * Which records a trail delivers (spec cloudtrail-codestar §d): its home region, or every region for
 * a multi-region trail; global-service events (IAM, STS: recorded in us-east-1) only with
 * IncludeGlobalServiceEvents; then the event selectors. Default (no selectors): every management
 * event. Basic selectors: ReadWriteType, IncludeManagementEvents, ExcludeManagementEventSources.
 * Advanced selectors for management events: eventCategory, eventSource, eventName, readOnly with the
 * six operators. Data events are not delivered (startrail records management events only): selectors
 * on eventCategory Data / NetworkActivity match nothing.
 */
import type { TrailEvent, TrailScope } from '../store/types.ts';

/** Event sources of global services (their records carry awsRegion us-east-1). */
export const GLOBAL_EVENT_SOURCES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com', 'cloudfront.amazonaws.com']);

type Selector = Record<string, any>;
interface FieldSelector { Field: string; Equals?: string[]; StartsWith?: string[]; EndsWith?: string[]; NotEquals?: string[]; NotStartsWith?: string[]; NotEndsWith?: string[] }

/** A record that says it is a data event (S3 object calls, if the S3 endpoint records them as such). */
const isDataEvent = (json: string) => json.includes('"eventCategory":"Data"') || json.includes('"managementEvent":false');

export function inScope(scope: TrailScope, e: TrailEvent): boolean {
  if (!scope.isMultiRegionTrail && e.region !== scope.homeRegion) return false;
  if (!scope.includeGlobalServiceEvents && e.eventSource !== null && GLOBAL_EVENT_SOURCES.has(e.eventSource)) return false;
  if (isDataEvent(e.json)) return false;
  const s = scope.selectors;
  if (!s) return true;
  return s.kind === 'basic' ? s.selectors.some((x) => basicMatches(x, e)) : s.selectors.some((x) => advancedMatches(x, e));
}

function basicMatches(s: Selector, e: TrailEvent): boolean {
  if (s.IncludeManagementEvents === false) return false;
  const rw = s.ReadWriteType ?? 'All';
  if (rw === 'ReadOnly' && e.readOnly !== true) return false;
  if (rw === 'WriteOnly' && e.readOnly !== false) return false;
  const excluded: string[] = s.ExcludeManagementEventSources ?? [];
  return !(e.eventSource !== null && excluded.includes(e.eventSource));
}

/** The value a management record has for an advanced-selector field. */
function fieldValue(field: string, e: TrailEvent): string | undefined {
  switch (field) {
    case 'eventCategory': return 'Management';
    case 'eventSource': return e.eventSource ?? undefined;
    case 'eventName': return e.eventName ?? undefined;
    case 'readOnly': return e.readOnly === null ? undefined : String(e.readOnly);
    default: return undefined;
  }
}

function advancedMatches(s: Selector, e: TrailEvent): boolean {
  return ((s.FieldSelectors ?? []) as FieldSelector[]).every((f) => fieldMatches(f, fieldValue(f.Field, e)));
}

/** Every operator given must hold (AND); positive operators need the field to be present. */
export function fieldMatches(f: FieldSelector, v: string | undefined): boolean {
  if (f.Equals && (v === undefined || !f.Equals.includes(v))) return false;
  if (f.StartsWith && (v === undefined || !f.StartsWith.some((p) => v.startsWith(p)))) return false;
  if (f.EndsWith && (v === undefined || !f.EndsWith.some((p) => v.endsWith(p)))) return false;
  if (f.NotEquals && v !== undefined && f.NotEquals.includes(v)) return false;
  if (f.NotStartsWith && v !== undefined && f.NotStartsWith.some((p) => v.startsWith(p))) return false;
  if (f.NotEndsWith && v !== undefined && f.NotEndsWith.some((p) => v.endsWith(p))) return false;
  return true;
}
