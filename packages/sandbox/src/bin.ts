#!/usr/bin/env node
// `bullseye-sandbox` (run with tsx in the workspace): the same as `bullseye sandbox`.
import { runSandboxCli } from './cli.js';

process.exitCode = await runSandboxCli(process.argv.slice(2));
