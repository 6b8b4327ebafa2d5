// The Lake query page's sample queries, after the samples AWS's CloudTrail console offers
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/lake-console-queries.html) and AWS's
// published collection (https://github.com/aws-samples/cloud-trail-lake-query-samples). `$EDS_ID` is
// replaced with the chosen event data store's ID, as Lake's editor writes it: bare in the FROM clause.
// Columns and functions are Lake's (docs/lake.md#sql).

export const SAMPLES = [
  {
    id: 'top-callers',
    name: 'Top callers',
    description: 'The identities that made the most calls in the last 7 days.',
    sql: "SELECT useridentity.arn AS caller, count(*) AS calls FROM $EDS_ID WHERE eventtime > now() - interval '7' day GROUP BY useridentity.arn ORDER BY calls DESC, caller LIMIT 10",
  },
  {
    id: 'errors-by-code',
    name: 'Errors by error code',
    description: 'Failed calls of the last 7 days, counted by error code.',
    sql: "SELECT errorcode, count(*) AS errors FROM $EDS_ID WHERE errorcode IS NOT NULL AND eventtime > now() - interval '7' day GROUP BY errorcode ORDER BY errors DESC, errorcode",
  },
  {
    id: 'console-no-mfa',
    name: 'Console sign-ins without MFA',
    description: 'ConsoleLogin events whose additionalEventData says MFAUsed: No.',
    sql: "SELECT eventtime, useridentity.arn AS who, sourceipaddress, responseelements['ConsoleLogin'] AS result FROM $EDS_ID WHERE eventname = 'ConsoleLogin' AND additionaleventdata['MFAUsed'] = 'No' ORDER BY eventtime DESC",
  },
  {
    id: 'by-source-ip',
    name: 'Activity by source IP address',
    description: 'Calls and distinct callers per source IP address.',
    sql: 'SELECT sourceipaddress, count(*) AS calls, count(DISTINCT useridentity.arn) AS callers FROM $EDS_ID GROUP BY sourceipaddress ORDER BY calls DESC, sourceipaddress LIMIT 25',
  },
  {
    id: 'per-region',
    name: 'Events per Region',
    description: 'How many events each AWS Region recorded.',
    sql: 'SELECT awsregion, count(*) AS events FROM $EDS_ID GROUP BY awsregion ORDER BY events DESC, awsregion',
  },
  {
    id: 'resource-changes',
    name: 'Resource changes',
    description: 'Write calls and the resources they named, one row per resource (CROSS JOIN UNNEST).',
    sql: 'SELECT eventtime, eventname, r.type AS resourcetype, r.arn AS resourcearn FROM $EDS_ID CROSS JOIN UNNEST(resources) AS t(r) WHERE readonly = false ORDER BY eventtime DESC, eventname LIMIT 50',
  },
];

/** A sample's statement for the store with ID `storeId`. */
export const sampleSql = (sample, storeId) => sample.sql.replaceAll('$EDS_ID', storeId || '<event-data-store-id>');
