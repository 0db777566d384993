// Splits the generated path map into the two APIs by the path prefixes of generated/apis.ts, so a
// client of one API cannot call the other.
import type { apis } from '../generated/apis.js';
import type { paths } from '../generated/schema.js';
import type { ApiId } from './core/routes.js';

/** The paths of API `A`: those whose first segment is one of its path prefixes (`apis[A].pathPrefixes`). */
export type PathsOf<A extends ApiId> = {
  [K in keyof paths as K extends (typeof apis)[A]['pathPrefixes'][number] | `${(typeof apis)[A]['pathPrefixes'][number]}/${string}` ? K : never]: paths[K];
};

/** Every path of the Partner API, as generated from the spec. */
export type PartnerPaths = PathsOf<'partner'>;

/** Every path of the Organization API, as generated from the spec. */
export type OrganizationPaths = PathsOf<'organization'>;
