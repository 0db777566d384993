// Minimal client factories (first cut; the SDK issue grows this into the full client).
import createClient, { type Client } from 'openapi-fetch';
import type { OrganizationPaths, PartnerPaths } from './paths.js';

export const DEFAULT_BASE_URL = 'https://api.app.bullseye.so/api/v1';

export interface ClientOptions {
  /** API key sent in the API's key header. */
  apiKey: string;
  /** Defaults to the production base URL. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export type PartnerClient = Client<PartnerPaths>;
export type OrganizationClient = Client<OrganizationPaths>;

export function createPartnerClient(options: ClientOptions): PartnerClient {
  return createClient<PartnerPaths>({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    headers: options.apiKey ? { 'X-Partner-API-Key': options.apiKey } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export function createOrganizationClient(options: ClientOptions): OrganizationClient {
  return createClient<OrganizationPaths>({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    headers: options.apiKey ? { 'X-API-Key': options.apiKey } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
