// npm run lint [-- --format=<redocly format>]: the spec must lint with 0 errors AND 0 warnings.
// `--format=github-actions` turns problems into pull-request annotations.
import { bin, main, run, step, StepError, stripBanner } from './lib/steps.js';

const formatArg = process.argv.find((a) => a.startsWith('--format='));
const format = formatArg ? formatArg.slice('--format='.length) : 'stylish';

main(async () => {
  await step(`lint openapi/openapi.yaml (redocly, ${format})`, async () => {
    const r = await run(bin('redocly'), ['lint', 'openapi/openapi.yaml', `--format=${format}`, '--max-problems=1000']);
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
});
