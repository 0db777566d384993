// The Markdown renderer of the agents' pages (scripts/site/llms-markdown.ts) on a small document
// with the constructs the bundle uses: path-level parameters, `allOf`, `oneOf`, enums, arrays of
// named schemas, a schema that refers to itself, webhooks. test/docs/llms.test.ts checks the real pages.
import { describe, expect, it } from 'vitest';
import { operationMarkdown, webhookMarkdown, type MarkdownDoc } from '../../scripts/site/llms-markdown.js';

const doc: MarkdownDoc = {
  openapi: '3.1.0',
  info: { title: 'T', version: '1.0.0' },
  servers: [{ url: 'https://api.example.test/v1', description: 'Production' }],
  paths: {
    '/things/{id}': {
      parameters: [
        { name: 'id', in: 'path', required: true, description: 'The thing.', schema: { type: 'string', format: 'uuid' } },
        { name: 'verbose', in: 'query', description: 'Shared.', schema: { type: 'boolean' } },
      ],
      get: {
        operationId: 'getThing',
        summary: 'Get a thing',
        tags: ['Things'],
        security: [{ Key: ['read'] }],
        parameters: [{ name: 'verbose', in: 'query', description: 'Overridden here.', schema: { type: 'integer', minimum: 0 } }],
        responses: {
          '200': {
            description: 'The thing.',
            headers: { 'X-Left': { required: true, description: 'Requests left.', schema: { type: 'integer' } } },
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Thing' },
                examples: { one: { summary: 'A thing', value: { id: 'a', kind: 'big' } } },
              },
            },
          },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
  },
  webhooks: {
    'thing.made': {
      post: {
        summary: 'A thing was made',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        responses: { '200': { description: 'Received.' } },
      },
    },
  },
  components: {
    securitySchemes: { Key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
    responses: { NotFound: { description: 'No such thing.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
    schemas: {
      Base: { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'Identifier.' } } },
      Kind: { type: 'string', enum: ['big', 'small'] },
      Thing: {
        allOf: [
          { $ref: '#/components/schemas/Base' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['kind'],
            properties: {
              kind: { $ref: '#/components/schemas/Kind' },
              tags: { type: 'array', items: { $ref: '#/components/schemas/Kind' } },
              value: { oneOf: [{ type: 'string' }, { type: 'number' }], description: 'Either.' },
              parent: { anyOf: [{ $ref: '#/components/schemas/Thing' }, { type: 'null' }] },
            },
          },
        ],
        description: 'A thing.',
      },
      Error: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
    },
  },
};

describe('operationMarkdown', () => {
  const page = operationMarkdown(doc, '/things/{id}', 'get');

  it('states method, path, id, tags, servers and the scope of the key', () => {
    expect(page).toMatch(/^# Get a thing\n/);
    for (const line of ['- **Method:** `GET`', '- **Path:** `/things/{id}`', '- **Operation ID:** `getThing`', '- **Tags:** Things', '- `https://api.example.test/v1`: Production', '- **Key**: API key in header `X-Key`, scopes: `read`']) {
      expect(page).toContain(line);
    }
  });

  it('lists the path item\'s parameters, the operation\'s own replacing one of the same name', () => {
    expect(page).toContain('## Path parameters\n\n- **`id` (required)**: `string`, format `uuid`\n\n  The thing.');
    expect(page).toContain('- **`verbose`**: `integer`, minimum `0`\n\n  Overridden here.');
    expect(page).not.toContain('Shared.');
  });

  it('writes each response with its status, headers, merged allOf fields, enums, alternatives and examples', () => {
    expect(page).toContain('### 200 OK\n\nThe thing.');
    expect(page).toContain('- **`X-Left` (required)**: `integer`');
    expect(page).toContain('Schema `Thing`: `object`, no other properties\n\nA thing.');
    expect(page).toContain('- **`id` (required)**: `string`');
    expect(page).toContain('- **`kind` (required)**: `string`, one of `"big"`, `"small"`, schema `Kind`');
    expect(page).toContain('- **`tags`**: `array of Kind`');
    expect(page).toContain('Items: `string`, one of `"big"`, `"small"`');
    expect(page).toContain('- **Form 1**: `string`');
    expect(page).toContain('- **Form 2**: `number`');
    // The schema that contains itself is written once, then pointed back to.
    expect(page.match(/- \*\*`kind` \(required\)\*\*/g)).toHaveLength(1);
    expect(page).toContain('**Example `one`**: A thing\n\n```json\n{\n  "id": "a",\n  "kind": "big"\n}\n```');
    expect(page).toContain('### 404 Not Found\n\nNo such thing.');
    expect(page).toContain('- **`code` (required)**: `string`');
  });

  it('refuses an operation the document does not have', () => {
    expect(() => operationMarkdown(doc, '/things/{id}', 'delete')).toThrow('no operation DELETE /things/{id} in the document');
  });
});

describe('webhookMarkdown', () => {
  it('names the event, needs no key, shows the payload and lists no servers', () => {
    const page = webhookMarkdown(doc, 'thing.made');
    expect(page).toContain('- **Webhook:** `thing.made`');
    expect(page).toContain('## Authentication\n\nNone: no API key is sent.');
    expect(page).toContain('## Request body\n\n**Required:** yes');
    expect(page).toContain('- **`kind` (required)**');
    expect(page).not.toContain('## Servers');
    expect(() => webhookMarkdown(doc, 'nope')).toThrow('no webhook nope');
  });
});
