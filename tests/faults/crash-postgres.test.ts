// The crash suite (crash-suite.ts) on PostgreSQL; skipped when no server answers (unless REQUIRE_POSTGRES=1).
import { postgresAvailable } from '../helpers/warehouse.js';
import { crashSuite } from './crash-suite.js';

crashSuite('postgres', await postgresAvailable());
