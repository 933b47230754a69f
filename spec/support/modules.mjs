// `node --import ./spec/support/modules.mjs ...` logs the modules the process loads (modules-hooks.mjs).
import { register } from 'node:module';

register('./modules-hooks.mjs', import.meta.url);
