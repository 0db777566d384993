// The shape of one operation's contract test. Each API has a cases file keyed by operationId;
// test/contract/coverage.test.ts fails when the spec has an operation without a case here.
export interface CallResult {
  response: Response;
  /** The parsed success body (openapi-fetch has consumed `response.body`). */
  data?: unknown;
  /** The parsed error body. */
  error?: unknown;
}

export interface ContractCase<C> {
  /** A valid request; the mock must answer with the operation's documented success status. */
  call: (client: C) => Promise<CallResult>;
  /**
   * An invalid request (missing required field, wrong type, out-of-range value, bad path param).
   * Required when the operation has a request body or a required parameter; the mock must answer 400 or 422.
   */
  invalid?: (client: C) => Promise<CallResult>;
}
