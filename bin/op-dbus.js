#!/usr/bin/env node
// Entry point: the CLI bundled into dist/op-dbus.mjs (built by `npm install` through the prepare script).
import { main } from '../dist/op-dbus.mjs';

process.exitCode = await main(process.argv);
