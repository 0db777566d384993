#!/usr/bin/env node
/// <reference types="node" />
// The `bullseye` executable (package.json `bin`); `npm run bullseye -- <args>` runs this same file.
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
