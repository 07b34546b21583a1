// The component: binds baton's imports for the skill and exports
// `describe` and `run` (`npm run build` makes dist/notify-proposal-viewed.wasm).

import * as log from 'baton:skill/log@0.1.1';
import * as baton from './baton.js';
import * as skill from './skill.js';

const host = { log };

export function describe() {
  return baton.describe(skill.manifest);
}

export function run(input) {
  return baton.run(skill.run, input, host);
}
