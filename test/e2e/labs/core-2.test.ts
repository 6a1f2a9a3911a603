// core labs end to end, part 2 of 2, on their own sandbox (see suite.ts).
import { labSuite } from './suite.js';

await labSuite('core', 1, 2);
