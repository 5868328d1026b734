#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=100
import { main } from '@lake/sdk/cli';
import packageJson from '../package.json' with { type: 'json' };
import { jenkinsConnector } from './connector.js';

await main(jenkinsConnector, { version: packageJson.version });
