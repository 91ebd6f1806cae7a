// The crash suite (crash-suite.ts) on SQLite.
import { crashSuite } from './crash-suite.js';

crashSuite('sqlite');
