/** CodeStar's 18 operations (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html), composed from one file per resource; the wire name is the key. */
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import { projects } from './projects.ts';
import { resources } from './resources.ts';
import { tags } from './tags.ts';
import { teamMembers } from './team-members.ts';
import { userProfiles } from './user-profiles.ts';

export const handlers: OperationDefs<Ops> = {
  ...projects,
  ...resources,
  ...tags,
  ...teamMembers,
  ...userProfiles,
};
