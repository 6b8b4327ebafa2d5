/** Test helpers shared by the services' handler tests. */

/** A handler's answer as a test reads it: every member present (a missing one fails the test when read). */
export type Answer<T> = T extends Date | Buffer | string | number | boolean
  ? T
  : T extends (infer E)[]
    ? Answer<E>[]
    : { [K in keyof T]-?: Answer<NonNullable<T[K]>> };
