#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` / `npm install` through `prepare`).
import '../dist/main/cli.js';
