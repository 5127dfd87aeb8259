/**
 * `node --import synapse-export/register …`: lets Node load TypeScript files (a plugin's tests,
 * scripts) through tsx, which ships with synapse-export, so plugins need no build step.
 */
import { register } from 'tsx/esm/api';

register();
