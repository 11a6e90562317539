// Owns the shape of one contract entry, shared by every feature's slice: a call is an input schema, an
// output schema and the roles allowed to make it; an event is a payload schema.
import { z } from 'zod';
import type { Role } from './domain';

export type CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = {
  input: I;
  output: O;
  /** 'public' calls need no operator; otherwise the operator's role must be listed. */
  roles: 'public' | readonly Role[];
};
export const call = <I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>) => spec;

/** The input of a call that takes nothing. */
export const Empty = z.object({}).strict();

/** Names shared by two slices of one kind (calls or events); `never` when the slices are disjoint. */
export type SharedKeys<S extends readonly object[], Seen = never> = S extends readonly [infer H, ...infer R extends readonly object[]]
  ? (keyof H & Seen) | SharedKeys<R, Seen | keyof H>
  : never;
