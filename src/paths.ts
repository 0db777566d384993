// Splits the generated path map into the two APIs, so a client of one API cannot call the other.
import type { paths } from '../generated/schema.js';

/** Every path of the Partner API (`/partner/...`), as generated from the spec. */
export type PartnerPaths = { [K in keyof paths as K extends `/partner/${string}` ? K : never]: paths[K] };

/** Every path of the Organization API (everything outside `/partner/`), as generated from the spec. */
export type OrganizationPaths = { [K in keyof paths as K extends `/partner/${string}` ? never : K]: paths[K] };
