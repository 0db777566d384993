/// <reference types="node" />
// Node-only module: the build leaves Node types out of the SDK, so this file asks for them itself.
// The `bullseye` command line (commander): `sandbox`, `webhooks trigger|verify|list` and `mcp`. `run` takes the
// arguments and the streams and returns the exit code, so tests drive it in-process; bin.ts is the
// process entry.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { API_VERSION, apis, ConfigurationError, SDK_VERSION, unknownScopesMessage, type ApiId } from '@bullseye/api';
import { runSandboxCli } from '@bullseye/sandbox';
import { DEFAULT_MAX_RESULT_BYTES, TOOL_MODES, type ToolMode } from '../mcp/compact.js';
import { serveStdio, type McpServerOptions } from '../mcp/server.js';
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

/** This package's own version: its package.json is two folders up from src/cli/ and from dist/cli/. */
export const CLI_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What `--version` prints: this package, the SDK it runs on, and the API contract. */
export const VERSION_LINE = `@bullseye/cli ${CLI_VERSION} (@bullseye/api ${SDK_VERSION}, API contract ${API_VERSION})`;

function byteCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1000) throw new InvalidArgumentError('expected a whole number of bytes, at least 1000');
  return n;
}

function buildProgram(io: Io, setCode: (code: number) => void, serveMcp: (options: McpServerOptions) => Promise<void>): Command {
  // Subcommands inherit the output and exit settings from the program (commander copies them).
  const program = new Command('bullseye')
    .description('Tools for the Bullseye Partner and Organization APIs, generated from their OpenAPI description')
    .version(VERSION_LINE, '-v, --version', 'print the versions of this command, the SDK and the API contract')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    })
    .exitOverride();

  // `bullseye sandbox …` is the sandbox package's own command line (runSandboxCli parses its words,
  // so `bullseye sandbox` and the sandbox's docs stay one thing); `run` hands it the words after
  // `sandbox` before commander sees them. This entry lists it in `bullseye --help`.
  program
    .command('sandbox')
    .description('Run the Bullseye sandbox: both APIs with state, seeded keys and signed webhooks, on 127.0.0.1:4010 (see `bullseye sandbox --help`)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => undefined);

  const webhooks = program
    .command('webhooks')
    .description("Send and check signed webhook deliveries, built from the spec's webhooks");

  webhooks
    .command('trigger')
    .description("POST a webhook's example payload (or --payload) to a receiver, signed with X-Bullseye-Signature")
    .argument('<webhook>', 'webhook name, e.g. visitor.identified or partner.billing (see `bullseye webhooks list`)')
    .requiredOption('--to <url>', 'receiver URL (http or https)')
    .option('--secret-stdin', 'read the webhook secret from the first line of stdin')
    .option('--secret <secret>', `the webhook secret on the command line (visible to other users in ps: prefer ${WEBHOOK_SECRET_ENV} or --secret-stdin)`)
    .option('--repeat <n>', 'send the same delivery n times, as the API may on retries', positiveInteger, 1)
    .option('--payload <file.json>', "a JSON payload to send instead of the spec's example; validated against the webhook's schema first")
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
    .description("List the spec's webhooks, each with the `event` values its deliveries carry")
    .addHelpText(
      'after',
      [
        '',
        'A webhook name (partner.billing) is what you configure and what `trigger` takes; a handler',
        'branches on the body\'s `event` field (credits.low). Values marked "open set" are examples:',
        'Bullseye may send others, so acknowledge an `event` you do not know.',
      ].join('\n'),
    )
    .action(() => {
      const hooks = webhookEvents();
      const width = Math.max(...hooks.map((h) => h.name.length));
      for (const h of hooks) io.out(`${h.name.padEnd(width)}  event: ${h.eventValues.values.join(', ') || '(not stated)'}${h.eventValues.closed ? '' : ' (open set)'}`);
    });

  program
    .command('mcp')
    .description('Serve one API as Model Context Protocol tools over stdio')
    .addOption(new Option('--api <api>', 'which API to serve').choices(Object.keys(apis)).makeOptionMandatory())
    .option('--scopes <list>', "comma-separated scopes of the key: the operations they grant are served (default: the API's read-only scopes)", scopeList)
    .addOption(
      new Option('--tools <mode>', 'operations: one tool per operation; compact: find_operations, describe_operation and call_operation, for clients that cap the number of tools')
        .choices([...TOOL_MODES])
        .default('operations'),
    )
    .option('--max-result-bytes <n>', 'cut a tool result longer than this, with a "truncated: N of M bytes" note', byteCount, DEFAULT_MAX_RESULT_BYTES)
    .addHelpText('after', () => {
      const rows = [...(Object.keys(apis) as ApiId[]).map((id) => [apis[id].envVar, `key for --api ${id}`]), ['BULLSEYE_BASE_URL', 'API base URL (default: the production URL)']];
      const width = Math.max(...rows.map(([name]) => name!.length));
      const scopes = (Object.keys(apis) as ApiId[]).map((id) => `  --api ${id}: ${Object.keys(apis[id].scopes).join(', ')}`);
      return ['', 'Scopes:', ...scopes, '', 'Environment:', ...rows.map(([name, what]) => `  ${name!.padEnd(width)}  ${what}`)].join('\n');
    })
    .action(async (opts: { api: ApiId; scopes?: string[]; tools: ToolMode; maxResultBytes: number }) => {
      // An unknown scope would serve nothing: refuse it before reading the key or starting.
      const unknown = opts.scopes ? unknownScopesMessage(opts.api, opts.scopes) : undefined;
      if (unknown) throw new CliError(`--scopes: ${unknown}`);
      const envName = apis[opts.api].envVar;
      const env = io.env ?? process.env;
      const apiKey = env[envName];
      if (!apiKey) throw new CliError(`set ${envName} to the ${apis[opts.api].name} key to serve`);
      await serveMcp({
        api: opts.api,
        apiKey,
        tools: opts.tools,
        maxResultBytes: opts.maxResultBytes,
        ...(opts.scopes ? { scopes: opts.scopes } : {}),
        ...(env.BULLSEYE_BASE_URL ? { baseUrl: env.BULLSEYE_BASE_URL } : {}),
      });
    });

  return program;
}

export interface RunOptions {
  signal?: AbortSignal;
  onListening?: (url: string) => void;
  /**
   * Serves `bullseye mcp` once its options are read and checked (default: on stdin/stdout,
   * serveStdio). Tests connect the server to an in-memory transport instead of a process's pipes.
   */
  serveMcp?: (options: McpServerOptions) => Promise<void>;
}

/** Runs the CLI with `args` (without `node` and the script) and returns the exit code. */
export async function run(args: readonly string[], io: Io = processIo, opts: RunOptions = {}): Promise<number> {
  const { serveMcp = serveStdio, ...sandboxOpts } = opts;
  // `bullseye help sandbox` is `bullseye sandbox --help`: commander only knows the entry's one line.
  const sandboxArgs = args[0] === 'sandbox' ? args.slice(1) : args[0] === 'help' && args[1] === 'sandbox' ? ['--help'] : undefined;
  if (sandboxArgs) {
    try {
      return await runSandboxCli(sandboxArgs, { out: io.out, err: io.err, ...sandboxOpts });
    } catch (err) {
      io.err(`bullseye sandbox: unexpected error: ${(err as Error).message}`);
      return 1;
    }
  }
  let code = 0;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    serveMcp,
  );
  try {
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    // A setting the SDK refuses (an unknown scope, a base URL it will not send the key to) is the
    // user's to fix, said in the SDK's own words.
    if (err instanceof CliError || err instanceof ConfigurationError) {
      io.err(`bullseye: ${err.message}`);
      return 1;
    }
    // Anything else is a bug: one line still, without a stack trace that could carry arguments.
    io.err(`bullseye: unexpected error: ${(err as Error).message}`);
    return 1;
  }
}
