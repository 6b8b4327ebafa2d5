/**
 * The Regions the console's Region selector offers, as AWS's console lists its commercial Regions
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). The console's calls are
 * signed for the chosen Region, so Event history shows that Region's records (docs/architecture.md#event-history).
 */
export const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'mx-central-1',
  'sa-east-1',
] as const;

/** The Region a console request asks for (the x-startrail-region header), if it is one of REGIONS. */
export function chosenRegion(value: string | undefined, fallback: string): string | undefined {
  if (value === undefined || value === '') return fallback;
  return (REGIONS as readonly string[]).includes(value) || value === fallback ? value : undefined;
}
