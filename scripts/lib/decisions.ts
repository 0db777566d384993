// openapi/DECISIONS.md: its entries and the rule that numbers and places them.
//
// Three sections, each with its own numbering: `## Shared (both APIs)` holds `D<n>`, `## Partner API`
// holds `P-D<n>`, `## Organization API` holds `OD<n>`. Within a section the entries run 1, 2, 3 … in
// the order they appear, without gaps or repeats, so a new entry takes the next free number and
// goes at the end of its section (under the last `###` group, or a new group of its own).
export interface DecisionEntry {
  id: string;
  prefix: string;
  number: number;
  title: string;
  line: number;
  section: string;
}

export const SECTIONS: { heading: RegExp; prefix: string; name: string }[] = [
  { heading: /^## Shared\b/, prefix: 'D', name: 'Shared (both APIs)' },
  { heading: /^## Partner API\b/, prefix: 'P-D', name: 'Partner API' },
  { heading: /^## Organization API\b/, prefix: 'OD', name: 'Organization API' },
];

const ENTRY = /^#{3,4} +((P-D|OD|D)(\d+))\. +(.*)$/;

export function decisionEntries(text: string): DecisionEntry[] {
  const entries: DecisionEntry[] = [];
  let section = '';
  text.split('\n').forEach((l, i) => {
    if (/^## /.test(l)) section = SECTIONS.find((s) => s.heading.test(l))?.name ?? l.slice(3).trim();
    const m = ENTRY.exec(l);
    if (m) entries.push({ id: m[1]!, prefix: m[2]!, number: Number(m[3]), title: m[4]!.trim(), line: i + 1, section });
  });
  return entries;
}

export function decisionIds(text: string): Set<string> {
  return new Set(decisionEntries(text).map((e) => e.id));
}

/** Breaches of the numbering and placement rule, each saying what to do. */
export function decisionProblems(text: string, file = 'openapi/DECISIONS.md'): string[] {
  const problems: string[] = [];
  const entries = decisionEntries(text);
  for (const s of SECTIONS) {
    const mine = entries.filter((e) => e.section === s.name);
    let expected = 1;
    for (const e of mine) {
      if (e.prefix !== s.prefix) {
        problems.push(`${file}:${e.line}: ${e.id} sits in "${s.name}", whose entries are ${s.prefix}<n>: move it to its own section, or renumber it ${s.prefix}<next free number>.`);
        continue;
      }
      if (e.number !== expected) {
        problems.push(
          `${file}:${e.line}: ${e.id} is out of sequence in "${s.name}" (expected ${s.prefix}${expected}): entries run 1, 2, 3 … in order; a new one takes the next free number and goes at the end of its section.`,
        );
        expected = e.number;
      }
      expected++;
    }
  }
  for (const e of entries) {
    if (!SECTIONS.some((s) => s.name === e.section)) problems.push(`${file}:${e.line}: ${e.id} is outside the three sections (Shared, Partner API, Organization API).`);
  }
  return problems;
}
