/// <reference types="node" />
// Node-only module: the build leaves Node types out of the SDK, so this file asks for them itself.
// The `bullseye` command line (commander): `webhooks trigger|verify|list` and `mcp`. `run` takes the
// arguments and the streams and returns the exit code, so tests drive it in-process; bin.ts is the
// process entry.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SDK_VERSION } from '../index.js';
import { serveStdio } from '../mcp/server.js';
import { CliError, processIo, type Io } from './io.js';
import { trigger, verify, WEBHOOK_SECRET_ENV, webhookEvents } from './webhooks.js';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('expected a whole number from 1 to 100');
  return n;
}

function scopeList(value: string): string[] {
  const scopes = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!scopes.length) throw new InvalidArgumentError('expected a comma-separated list of scopes, e.g. read,write');
  return scopes;
}

const API_KEY_ENV = { partner: 'BULLSEYE_PARTNER_API_KEY', organization: 'BULLSEYE_API_KEY' } as const;

function buildProgram(io: Io, setCode: (code: number) => void): Command {
  // Subcommands inherit the output and exit settings from the program (commander copies them).
  const program = new Command('bullseye')
    .description('Tools for the Bullseye Partner and Organization APIs, generated from their OpenAPI description')
    .version(SDK_VERSION, '-v, --version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    })
    .exitOverride();

  const webhooks = program
    .command('webhooks')
    .description("Send and check signed webhook deliveries, built from the spec's webhook events");

  webhooks
    .command('trigger')
    .description("POST an event's example payload (or --payload) to a receiver, signed with X-Bullseye-Signature")
    .argument('<event>', 'event name, e.g. visitor.identified (see `bullseye webhooks list`)')
    .requiredOption('--to <url>', 'receiver URL (http or https)')
    .option('--secret-stdin', 'read the webhook secret from the first line of stdin')
    .option('--secret <secret>', `the webhook secret on the command line (visible to other users in ps: prefer ${WEBHOOK_SECRET_ENV} or --secret-stdin)`)
    .option('--repeat <n>', 'send the same delivery n times, as the API may on retries', positiveInteger, 1)
    .option('--payload <file.json>', "a JSON payload to send instead of the spec's example; validated against the event's schema first")
    .addHelpText(
      'after',
      [
        '',
        'The secret: prefer the environment variable ' + WEBHOOK_SECRET_ENV + ', or --secret-stdin (e.g. from a',
        "password manager); --secret puts it in the process list, where every user of the machine sees it.",
        'The receiver URL is printed without credentials or query values; the exit code is 1 unless every',
        'delivery was answered with a 2xx.',
        '',
        'Example:',
        `  ${WEBHOOK_SECRET_ENV}=whsec_test bullseye webhooks trigger visitor.identified --to http://localhost:3000/webhooks --repeat 2`,
      ].join('\n'),
    )
    .action(async (event: string, opts: { to: string; secret?: string; secretStdin?: boolean; repeat: number; payload?: string }) => {
      setCode(await trigger(event, opts, io));
    });

  webhooks
    .command('verify')
    .description('Check an X-Bullseye-Signature against a raw body read from stdin')
    .option('--secret <secret>', `the webhook secret on the command line (visible to other users in ps: prefer ${WEBHOOK_SECRET_ENV})`)
    .requiredOption('--signature <hex>', 'the X-Bullseye-Signature header value')
    .addHelpText(
      'after',
      [
        '',
        `The secret: prefer the environment variable ${WEBHOOK_SECRET_ENV} (stdin carries the body here);`,
        '--secret puts it in the process list, where every user of the machine sees it.',
        '',
        'Example:',
        `  ${WEBHOOK_SECRET_ENV}=whsec_test bullseye webhooks verify --signature 5f2a… < body.json`,
      ].join('\n'),
    )
    .action(async (opts: { secret?: string; signature: string }) => {
      setCode(await verify(opts, await io.stdin(), io));
    });

  webhooks
    .command('list')
    .description('List the webhook events of the spec')
    .action(() => {
      for (const e of webhookEvents()) io.out(e.name);
    });

  program
    .command('mcp')
    .description('Serve one API as Model Context Protocol tools over stdio (one tool per operation)')
    .addOption(new Option('--api <api>', 'which API to serve').choices(['partner', 'organization']).makeOptionMandatory())
    .option('--scopes <list>', 'comma-separated scopes whose operations are served (default: read,agency:read)', scopeList)
    .addHelpText(
      'after',
      [
        '',
        'Environment:',
        '  BULLSEYE_PARTNER_API_KEY  key for --api partner',
        '  BULLSEYE_API_KEY          key for --api organization',
        '  BULLSEYE_BASE_URL         API base URL (default: the production URL)',
      ].join('\n'),
    )
    .action(async (opts: { api: 'partner' | 'organization'; scopes?: string[] }) => {
      const envName = API_KEY_ENV[opts.api];
      const apiKey = process.env[envName];
      if (!apiKey) throw new CliError(`set ${envName} to the ${opts.api === 'partner' ? 'Partner' : 'Organization'} API key to serve`);
      await serveStdio({ api: opts.api, apiKey, ...(opts.scopes ? { scopes: opts.scopes } : {}), ...(process.env.BULLSEYE_BASE_URL ? { baseUrl: process.env.BULLSEYE_BASE_URL } : {}) });
    });

  return program;
}

/** Runs the CLI with `args` (without `node` and the script) and returns the exit code. */
export async function run(args: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      io.err(`bullseye: ${err.message}`);
      return 1;
    }
    // Anything else is a bug: one line still, without a stack trace that could carry arguments.
    io.err(`bullseye: unexpected error: ${(err as Error).message}`);
    return 1;
  }
}
