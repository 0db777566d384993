export { createPartnerClient, createOrganizationClient } from './client.js';
export type { ClientOptions, PartnerClient, OrganizationClient } from './client.js';
export type { PartnerPaths, OrganizationPaths } from './paths.js';
