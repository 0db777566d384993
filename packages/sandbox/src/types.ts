// The shapes the engine, its operations and its controls share, kept apart from the engine so the
// modules it calls import no code of it back (no import cycle).
import type { Api, Contract, Json, OperationSpec } from './spec.js';
import type { KeyRecord, State } from './store.js';
import type { Webhooks } from './webhooks.js';

export interface SandboxRequest {
  method: string;
  /** Path and query as sent (`/partner/organizations?page=2`), percent-escapes not yet decoded. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Uint8Array | undefined;
}

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text, CSV text, or nothing. */
  body: string | undefined;
}

export interface Auth {
  api: Api;
  keyId: string;
  /** Partner id (Partner API) or the key's organization (Organization API). */
  ownerId: string;
  /** The user who created an Organization key (`createdByUserId`). */
  userId: string | null;
  scopes: string[];
}

export interface Context {
  state: State;
  op: OperationSpec;
  auth: Auth;
  params: Record<string, string>;
  query: Record<string, Json>;
  body: Json | undefined;
  /** Sandbox time. */
  now(): Date;
  nowIso(): string;
  /** Marks the state changed (it is saved before the response goes out). */
  changed(): void;
  webhooks: Webhooks;
  /** The key that authenticated the call, for operations that must not act on it (e.g. revoking itself). */
  keyRecord: KeyRecord;
}

export interface HandlerResult {
  status: number;
  body?: Json;
  /** Text body with its media type (CSV). */
  text?: { contentType: string; value: string };
}

export type Handler = (ctx: Context) => HandlerResult | Promise<HandlerResult>;

export interface Sandbox {
  /** Answers one request (the HTTP server calls this). */
  handle(req: SandboxRequest): Promise<SandboxResponse>;
  /** A `fetch` over `handle`, for the SDK in-process: `createPartnerClient({ fetch: sandbox.fetch, baseUrl: SANDBOX_BASE_URL })`. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Sandbox time now. */
  now(): Date;
  /** Moves the sandbox clock forward (key expiry, billing periods, webhook retries). */
  advanceClock(ms: number): Promise<void>;
  /** Back to the seed (the data file too). */
  reset(): void;
  /** Makes a visitor be identified in an organization, as the pixel would (delivers the webhooks). */
  identify(organizationId: string, visitor?: Record<string, Json>): Promise<Record<string, Json>>;
  /** Sets an organization's webhook (`*` for every organization without its own). */
  setOrganizationWebhook(organizationId: string, url: string | null, secret?: string): void;
  /** Resolves when no delivery is in flight (pending retries wait for their time). */
  idle(): Promise<void>;
  /** The live state (read it; change it through the API). */
  readonly state: State;
  readonly contract: Contract;
  /** Stops timers and releases the data file's lock. */
  close(): Promise<void>;
}
