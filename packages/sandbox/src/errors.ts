import type { Json } from './spec.js';

/** An API error an operation answers with: status, message and `details` of the Error envelope. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, Json> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
