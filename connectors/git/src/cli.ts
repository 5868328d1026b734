#!/usr/bin/env node
import { main } from '@lake/sdk/cli';
import packageJson from '../package.json' with { type: 'json' };
import { gitConnector } from './connector.js';

await main(gitConnector, { version: packageJson.version });
