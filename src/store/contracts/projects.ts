/** CodeStar contracts (projects, team members, user profiles, idempotent calls): store/projects.ts implements them. */
/** An AWS CodeStar project (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html). */
export interface Project {
  id: string;
  arn: string;
  name: string;
  description?: string;
  /** the clientRequestToken of the CreateProject call, when it carried one */
  clientRequestToken?: string;
  /** ARN of the caller that created it (an IAM user, root, or a session) */
  creatorArn: string;
  state: string;
  createdAt: Date;
  /** optimistic-concurrency version, bumped by every write to the project */
  version: number;
  /** CreateProject's sourceCode and toolchain as given (they may hold a GitHub token: sealed at rest) */
  source?: { sourceCode: unknown; toolchain: unknown };
}

export type ProjectRole = 'Owner' | 'Contributor' | 'Viewer';

export interface TeamMember {
  projectId: string;
  userArn: string;
  projectRole: ProjectRole;
  remoteAccessAllowed: boolean;
}

export interface UserProfile {
  userArn: string;
  displayName: string;
  emailAddress: string;
  sshPublicKey?: string;
  createdAt: Date;
  lastModifiedAt: Date;
}

/** One row of a keyset-paged listing: `seq` orders rows by insertion and is the cursor of the next page. */
export type Seq<T> = T & { seq: number };

/** A CodeStar call made with a clientRequestToken: replayed when the same token comes with the same input. */
export interface IdempotentCall {
  operation: string;
  token: string;
  inputHash: string;
  result: string;
  createdAt: Date;
}

/**
 * CodeStar's projects, their tags, team members and resources, user profiles and idempotent calls.
 * Listings are keyset-paged by `seq` (insertion order): `after` is the last seq of the previous page,
 * so a page boundary stays put while rows are added.
 */
export interface ProjectStore {
  get(id: string): Promise<Project | undefined>;
  /** false when a project with this id already exists */
  create(p: Project): Promise<boolean>;
  /** Bumps the version iff it is `expected` (any version when undefined); false when no row matched. */
  bump(id: string, expected?: number): Promise<boolean>;
  update(id: string, fields: { name?: string; description?: string }): Promise<void>;
  /** Removes the project with its tags, team members and resources. */
  delete(id: string): Promise<void>;
  count(): Promise<number>;
  list(after: number | undefined, limit: number): Promise<Seq<Project>[]>;

  putTags(id: string, tags: Record<string, string>): Promise<void>;
  removeTags(id: string, keys: string[]): Promise<void>;
  listTags(id: string, after?: number, limit?: number): Promise<Seq<{ key: string; value: string }>[]>;

  addMember(m: TeamMember): Promise<void>;
  getMember(projectId: string, userArn: string): Promise<TeamMember | undefined>;
  updateMember(m: TeamMember): Promise<void>;
  removeMember(projectId: string, userArn: string): Promise<void>;
  listMembers(projectId: string, after?: number, limit?: number): Promise<Seq<TeamMember>[]>;
  countMembers(projectId: string): Promise<number>;
  /** How many projects the user is a team member of. */
  countMemberships(userArn: string): Promise<number>;

  addResource(projectId: string, arn: string): Promise<void>;
  listResources(projectId: string, after?: number, limit?: number): Promise<Seq<{ arn: string }>[]>;

  getProfile(userArn: string): Promise<UserProfile | undefined>;
  /** false when the user already has a profile */
  createProfile(p: UserProfile): Promise<boolean>;
  updateProfile(p: UserProfile): Promise<void>;
  deleteProfile(userArn: string): Promise<void>;
  listProfiles(after: number | undefined, limit: number): Promise<Seq<UserProfile>[]>;

  getCall(operation: string, token: string): Promise<IdempotentCall | undefined>;
  putCall(c: IdempotentCall): Promise<void>;
}
