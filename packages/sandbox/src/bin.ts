#!/usr/bin/env node
// The sandbox's own entry point (`node --import tsx packages/sandbox/src/bin.ts …`, as the tests run it):
// the same as `bullseye sandbox …`.
import { runSandboxCli } from './cli.js';

process.exitCode = await runSandboxCli(process.argv.slice(2));
