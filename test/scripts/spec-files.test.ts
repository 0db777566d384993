// The checks `npm run lint` runs on openapi/ as files (scripts/lib/spec-files.ts), the DECISIONS
// numbering rule (scripts/lib/decisions.ts), and the pieces of the change-note machinery that need
// no git repository (scripts/lib/changes.ts, scripts/release-version.ts, scripts/new.ts).
import { describe, expect, it } from 'vitest';
import { decisionProblems } from '../../scripts/lib/decisions.js';
import { specFileProblems, urlOfPathFile } from '../../scripts/lib/spec-files.js';
import { changelogHeadings, manifestChanged, shipsFile, type Unit } from '../../scripts/lib/changes.js';
import { insertSection } from '../../scripts/release-version.js';
import { addDecisionStub, addIndexEntry, defaultOperationId, insertProperty, pathFileName } from '../../scripts/new.js';
import { root } from '../../scripts/lib/steps.js';

describe('openapi/ as files', () => {
  it('this repository has no orphan, unindexed path file, duplicate operationId or misplaced decision', () => {
    expect(specFileProblems(root)).toEqual([]);
  });

  it('turns a path file name back into its URL with the spec\'s path parameters', () => {
    expect(urlOfPathFile('paths/organization/organization_@organization_id_api-keys.yaml', ['organization_id'])).toBe('/organization/{organization_id}/api-keys');
    expect(urlOfPathFile('paths/partner/partner_api-keys_@keyId.yaml', ['keyId'])).toBe('/partner/api-keys/{keyId}');
  });
});

describe('DECISIONS numbering and placement', () => {
  const doc = (partner: string): string => `# D\n\n## Shared (both APIs)\n\n### D1. a\n\n### D2. b\n\n## Partner API\n\n${partner}\n\n## Organization API\n\n#### OD1. c\n`;

  it('accepts entries numbered 1, 2, 3 … in their own section', () => {
    expect(decisionProblems(doc('#### P-D1. x\n\n#### P-D2. y'))).toEqual([]);
  });

  it('names an entry out of sequence, with the rule', () => {
    expect(decisionProblems(doc('#### P-D1. x\n\n#### P-D3. y'))).toEqual([expect.stringMatching(/:\d+: P-D3 is out of sequence in "Partner API" \(expected P-D2\).*next free number and goes at the end of its section/)]);
  });

  it('names an entry in the wrong section', () => {
    expect(decisionProblems(doc('#### P-D1. x\n\n#### OD2. y'))).toEqual([expect.stringMatching(/OD2 sits in "Partner API", whose entries are P-D<n>/)]);
  });

  it('the scaffold\'s stub takes the next number at the end of its section', () => {
    const { text, id } = addDecisionStub(doc('#### P-D1. x\n\n#### P-D2. y'), 'partner', 'New thing', '- **Docs:** …');
    expect(id).toBe('P-D3');
    expect(decisionProblems(text)).toEqual([]);
    expect(text.indexOf('P-D3. New thing')).toBeLessThan(text.indexOf('## Organization API'));
    expect(text.indexOf('P-D3. New thing')).toBeGreaterThan(text.indexOf('P-D2. y'));
  });
});

describe('scaffold naming', () => {
  it('names files and operationIds by the folder\'s rules', () => {
    expect(pathFileName('/partner/organizations/{organizationId}/usage')).toBe('partner_organizations_@organizationId_usage.yaml');
    expect(defaultOperationId('GET', '/partner/organizations/{organizationId}/usage')).toBe('getPartnerOrganizationUsage');
    expect(defaultOperationId('GET', '/partner/organizations')).toBe('listPartnerOrganizations');
    expect(defaultOperationId('POST', '/organization/{organization_id}/lists')).toBe('createOrganizationLists');
    expect(defaultOperationId('DELETE', '/partner/api-keys/{keyId}')).toBe('deletePartnerApiKey');
  });

  it('puts an index entry after its closest sibling', () => {
    const yaml = 'paths:\n  # Partner API\n  /partner/me:\n    $ref: a.yaml\n  /partner/organizations/{id}:\n    $ref: b.yaml\n  /partner/usage:\n    $ref: c.yaml\n  # Organization API\n  /organization/x:\n    $ref: d.yaml\nwebhooks: {}\n';
    const out = addIndexEntry(yaml, '/partner/organizations/{id}/usage', 'e.yaml');
    expect(out).toContain('  /partner/organizations/{id}:\n    $ref: b.yaml\n  /partner/organizations/{id}/usage:\n    $ref: e.yaml\n  /partner/usage:');
  });

  it('adds a property without touching the others, and refuses an existing one', () => {
    const yaml = 'title: X\ntype: object\nproperties:\n  a:\n    type: string\n';
    expect(insertProperty(yaml, 'b', ['type: integer'])).toBe('title: X\ntype: object\nproperties:\n  b:\n    type: integer\n  a:\n    type: string\n');
    expect(() => insertProperty(yaml, 'a', ['type: integer'])).toThrow(/exists already/);
  });
});

describe('change-note pieces', () => {
  const units: Unit[] = [
    { name: 'contract', kind: 'contract', dir: '/r/openapi', rel: 'openapi', version: '3.0.0', private: true, packageJson: { name: 'contract', version: '3.0.0' } },
    { name: '@bullseye/api', kind: 'root', dir: '/r', rel: '', version: '0.1.0', private: false, packageJson: { name: '@bullseye/api', version: '0.1.0' } },
    { name: '@bullseye/cli', kind: 'workspace', dir: '/r/packages/cli', rel: 'packages/cli', version: '0.1.0', private: false, packageJson: { name: '@bullseye/cli', version: '0.1.0' } },
  ];
  const [contract, sdk, cli] = units as [Unit, Unit, Unit];

  it('knows which files each unit ships', () => {
    expect(shipsFile(contract, 'openapi/components/schemas/partner/Partner.yaml', units)).toBe(true);
    expect(shipsFile(contract, 'openapi/DECISIONS.md', units)).toBe(false);
    expect(shipsFile(sdk, 'src/index.ts', units)).toBe(true);
    expect(shipsFile(sdk, 'generated/schema.ts', units)).toBe(true);
    expect(shipsFile(sdk, 'generated/site/index.html', units)).toBe(false);
    expect(shipsFile(sdk, 'scripts/lint.ts', units)).toBe(false);
    expect(shipsFile(sdk, 'packages/cli/src/bin.ts', units)).toBe(false);
    expect(shipsFile(cli, 'packages/cli/src/bin.ts', units)).toBe(true);
    expect(shipsFile(cli, 'packages/cli/test/bin.test.ts', units)).toBe(false);
    expect(shipsFile(cli, 'packages/cli/CHANGELOG.md', units)).toBe(false);
  });

  it('counts only shipped package.json fields', () => {
    expect(manifestChanged('{"scripts":{"a":"1"},"devDependencies":{}}', '{"scripts":{"a":"2"},"devDependencies":{"x":"1"}}')).toEqual([]);
    expect(manifestChanged('{"dependencies":{}}', '{"dependencies":{"x":"1"}}')).toEqual(['dependencies']);
  });

  it('reads version headings only', () => {
    expect(changelogHeadings('# T\n\n## Unreleased\n\n## 1.0.0 (API contract 3.0.0)\n\n### Added\n')).toEqual(['## 1.0.0 (API contract 3.0.0)']);
  });

  it('puts a release section below the changelog\'s introduction', () => {
    expect(insertSection('# T\n\nIntro.\n\n## 1.0.0\n\nFirst.\n', 'T', '## 1.1.0\n\nAdded:\n- x')).toBe('# T\n\nIntro.\n\n## 1.1.0\n\nAdded:\n- x\n\n## 1.0.0\n\nFirst.\n');
    expect(insertSection(undefined, 'Changelog of @bullseye/cli', '## 0.1.1\n\nFixed:\n- y')).toBe('# Changelog of @bullseye/cli\n\n## 0.1.1\n\nFixed:\n- y\n');
  });
});
