// The signed-in person as the server described them (identity, account, region, session end), shared by the pages.
export const state = { session: null };

const accountId = () => state.session?.identity?.accountId ?? '';
export const userArnFor = (nameOrArn) =>
  String(nameOrArn).startsWith('arn:') ? String(nameOrArn).trim() : `arn:aws:iam::${accountId()}:user/${String(nameOrArn).trim()}`;
