// npm run lint [-- --format=<redocly format>]: the spec must lint with 0 errors AND 0 warnings.
// `--format=github-actions` turns problems into pull-request annotations. After Redocly's rules, the
// checks on openapi/ as a set of files (scripts/lib/spec-files.ts): orphan files, path files missing
// from the index, duplicate operationIds with both places, DECISIONS references and numbering.
import { formatProblems, specFileProblems } from './lib/spec-files.js';
import { redoclyLint } from './lib/cache.js';
import { main, root, step, StepError, stripBanner } from './lib/steps.js';

const formatArg = process.argv.find((a) => a.startsWith('--format='));
const format = formatArg ? formatArg.slice('--format='.length) : 'stylish';

main(async () => {
  await step(`lint openapi/openapi.yaml (redocly, ${format})`, async () => {
    // Kept by what it reads (scripts/lib/cache.ts): a spec linted before answers at once.
    const r = await redoclyLint(['lint', 'openapi/openapi.yaml', `--format=${format}`, '--max-problems=1000']);
    const out = stripBanner(`${r.stdout}\n${r.stderr}`);
    // Redocly exits 0 when only warnings are found; our gate does not allow warnings either.
    const warnings = /(\d+) warnings?/.exec(out)?.[1];
    const annotatedWarning = /^::warning /m.test(out);
    if (r.code !== 0 || (warnings && Number(warnings) > 0) || annotatedWarning) {
      // Machine formats (github-actions annotations, json) go to stdout, where the runner reads them.
      if (format !== 'stylish') console.log(`\n${out}`); // on its own line, after the step label
      throw new StepError('lint', 'the spec has lint problems (errors or warnings)', format === 'stylish' ? out : '');
    }
    if (format !== 'stylish' && out) console.log(out);
  });
  await step('spec files (orphans, the paths index, operationIds, DECISIONS)', async () => {
    const problems = specFileProblems(root);
    if (problems.length === 0) return;
    const text = formatProblems(problems, format === 'github-actions' ? 'github-actions' : 'stylish');
    if (format === 'github-actions') console.log(`\n${text}`);
    throw new StepError('lint', `${problems.length} problem(s) in openapi/ files`, format === 'github-actions' ? '' : text);
  });
});
